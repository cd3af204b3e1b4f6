namespace Datakamp.Domain.Datasets;

/// <summary>Staff ended a grant before its end date: when, who, and why (kept beside the grant, never instead of it).</summary>
public sealed record GrantRevocation(DateTimeOffset RevokedAt, string RevokedBy, string Reason);
