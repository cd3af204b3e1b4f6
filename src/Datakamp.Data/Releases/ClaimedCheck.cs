using Dapper;
using Datakamp.Data.Audit;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;
using Npgsql;

namespace Datakamp.Data.Releases;

/// <summary>The automated result of one file, with the audit event that records it.</summary>
public sealed record FileCheckOutcome(string Name, AutomatedCheck Status, string Summary, string? VerdictJson, long? DatasetId, AuditEntry Audit);

/// <summary>
/// One request version's pending checks, locked by this worker (see <see cref="ReleaseCheckQueue"/>). Either
/// <see cref="CompleteAsync"/> or <see cref="DiscardAsync"/> commits; disposing without either rolls back and leaves the
/// checks pending for the next claim.
/// </summary>
public sealed class ClaimedCheck : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    internal ClaimedCheck(NpgsqlDataSource dataSource, NpgsqlConnection connection, NpgsqlTransaction transaction, ReleaseRecord record, int version, IReadOnlyList<string> fileNames,
        int failedAttempts, string? lastError)
    {
        _dataSource = dataSource;
        _connection = connection;
        _transaction = transaction;
        Record = record;
        Version = version;
        FileNames = fileNames;
        FailedAttempts = failedAttempts;
        LastError = lastError;
    }

    /// <summary>Earlier attempts at this check that failed (<see cref="ReleaseCheckQueue.RecordFailureAsync"/>), and the last one's error.</summary>
    public int FailedAttempts { get; }

    public string? LastError { get; }

    /// <summary>The request as stored when the claim was made.</summary>
    public ReleaseRecord Record { get; }

    public long RequestId => Record.Request.Id;

    /// <summary>The version whose files are claimed (a resubmitted request may have moved on: then the claim is stale).</summary>
    public int Version { get; }

    /// <summary>The claimed files' names.</summary>
    public IReadOnlyList<string> FileNames { get; }

    /// <summary>True when the claimed version is the one waiting for its check (not withdrawn, not superseded).</summary>
    public bool IsCurrent => Record.Request.State == ReleaseState.Submitted && Record.Request.Version == Version;

    /// <summary>
    /// Writes each file's result (a file that has one already keeps it) and its audit event, marks the claimed checks
    /// done and, when every file of the version has a result, applies <paramref name="whenAllChecked"/> (the move to
    /// checked) in the same transaction; then commits. Returns the request as stored afterwards.
    /// </summary>
    public async Task<ReleaseRecord> CompleteAsync(IReadOnlyList<FileCheckOutcome> outcomes, string actor, DateTimeOffset at,
        Func<ReleaseRecord, ReleaseChange> whenAllChecked, CancellationToken cancellationToken)
    {
        var audit = new AuditLog(_dataSource);
        foreach (var outcome in outcomes)
        {
            if (await ReleaseRepository.StoreCheckAsync(_connection, _transaction, RequestId, Version, outcome.Name, outcome.Status, outcome.Summary,
                    outcome.VerdictJson, outcome.DatasetId, at, cancellationToken))
                await audit.AppendAsync(outcome.Audit, _connection, _transaction, cancellationToken);
        }
        await MarkDoneAsync(cancellationToken);

        var after = await ReleaseRepository.ChangeAsync(audit, _connection, _transaction, RequestId, actor, at, current =>
            current.Request.State == ReleaseState.Submitted && current.Request.Version == Version && current.FullyChecked
                ? whenAllChecked(current)
                : new ReleaseChange([]), cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
        return after;
    }

    /// <summary>Marks the claimed checks done without results: the version was withdrawn or superseded before its check.</summary>
    public async Task DiscardAsync(CancellationToken cancellationToken)
    {
        await MarkDoneAsync(cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
    }

    private Task MarkDoneAsync(CancellationToken cancellationToken)
    {
        const string sql = "UPDATE release_checks SET done_at = now() WHERE request_id = @RequestId AND version = @Version AND file_name = ANY(@names) AND done_at IS NULL";
        return _connection.ExecuteAsync(new CommandDefinition(sql, new { RequestId, Version, names = FileNames.ToArray() }, _transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Rolls back what was not committed (the checks stay pending) and returns the connection. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private bool _disposed;
}
