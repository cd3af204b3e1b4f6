using Datakamp.Domain.Audit;

namespace Datakamp.Data.Audit;

/// <summary>An audit event as stored: its place in the chain, its time and its hashes.</summary>
public sealed record AuditRecord(long Seq, DateTimeOffset At, AuditEntry Entry, string PrevHash, string Hash);
