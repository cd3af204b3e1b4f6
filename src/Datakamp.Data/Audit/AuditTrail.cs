using Datakamp.Domain.Audit;
using Npgsql;

namespace Datakamp.Data.Audit;

/// <summary>
/// The host's one way to record what happened: every page, service and command appends through this service
/// (registered once in the host's container), with entries made by <see cref="AuditEntries"/>. Pass the caller's
/// connection and transaction when the action and its audit event must commit, or roll back, together.
/// </summary>
public sealed class AuditTrail(Database database)
{
    public Task<AuditRecord> RecordAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        new AuditLog(database.DataSource).AppendAsync(entry, cancellationToken);

    public Task<AuditRecord> RecordAsync(AuditEntry entry, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        new AuditLog(database.DataSource).AppendAsync(entry, connection, transaction, cancellationToken);
}
