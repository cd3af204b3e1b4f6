using Dapper;
using Npgsql;

namespace Datakamp.Data.Releases;

/// <summary>
/// The automated check's durable work queue (table <c>release_checks</c>, migration 0006): one row per file of a
/// submitted version, written with the file. A worker claims every pending row of the oldest request version with
/// <c>FOR UPDATE SKIP LOCKED</c> (so two workers never check the same request, and the files of one request are checked
/// together, as linked tables) and holds the lock until <see cref="ClaimedCheck.CompleteAsync"/> writes the results. A
/// worker that dies mid-check loses its connection, PostgreSQL releases its rows, and the next claim takes them up.
/// </summary>
public sealed class ReleaseCheckQueue(NpgsqlDataSource dataSource)
{
    static ReleaseCheckQueue() => DapperConventions.Apply();

    /// <summary>The next request version with files to check, locked for this caller; null when nothing is waiting.</summary>
    public async Task<ClaimedCheck?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            const string oldest = """
                SELECT request_id, version, attempts, last_error FROM release_checks WHERE done_at IS NULL
                ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                """;
            var next = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(oldest, transaction: transaction, cancellationToken: cancellationToken));
            if (next is null)
            {
                await DisposeAsync(connection, transaction);
                return null;
            }
            // The other files of that version: all rows of a version are inserted in one transaction, so a worker that
            // locked one of them reached them first and this one skipped them all; here they are free.
            const string rest = """
                SELECT file_name FROM release_checks WHERE request_id = @RequestId AND version = @Version AND done_at IS NULL
                ORDER BY file_name COLLATE "C" FOR UPDATE SKIP LOCKED
                """;
            var names = (await connection.QueryAsync<string>(new CommandDefinition(rest, next, transaction, cancellationToken: cancellationToken))).ToList();
            var record = await ReleaseRepository.LoadAsync(connection, transaction, next.RequestId, forUpdate: false, cancellationToken)
                ?? throw new InvalidDataException($"release_checks names request {next.RequestId}, which does not exist");
            return new ClaimedCheck(dataSource, connection, transaction, record, next.Version, names, next.Attempts, next.LastError);
        }
        catch
        {
            await DisposeAsync(connection, transaction);
            throw;
        }
    }

    /// <summary>
    /// Counts a failed attempt at a version's check (the claim was rolled back) and returns how many there were so far.
    /// </summary>
    public async Task<int> RecordFailureAsync(long requestId, int version, string error, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE release_checks SET attempts = attempts + 1, last_error = @error
            WHERE request_id = @requestId AND version = @version AND done_at IS NULL
            RETURNING attempts
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var attempts = await connection.QueryAsync<int>(new CommandDefinition(sql, new { requestId, version, error }, cancellationToken: cancellationToken));
        return attempts.DefaultIfEmpty(0).Max();
    }

    /// <summary>How many files wait for their check (for the staff page and tests).</summary>
    public async Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*)::int FROM release_checks WHERE done_at IS NULL", cancellationToken: cancellationToken));
    }

    private static async Task DisposeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        if (transaction is not null) await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private sealed record VersionRow(long RequestId, int Version, int Attempts, string? LastError);
}
