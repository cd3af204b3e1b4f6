using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Datakamp.Domain.Audit;
using Npgsql;

namespace Datakamp.Data.Audit;

/// <summary>
/// Appends to, reads and verifies the hash-chained audit trail (table <c>audit_events</c>).
/// Appends are serialised with a transaction-scoped advisory lock, so sequence numbers have no gaps
/// and every event links to the one before it, however many requests write at once. Pass the
/// caller's transaction to make an action and its audit event commit (or roll back) together.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    /// <summary>Advisory lock key for appends: the ASCII bytes of "DkAudit!".</summary>
    private const long AppendLockKey = 0x446B417564697421;

    static AuditLog() => DapperConventions.Apply();

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var record = await AppendAsync(entry, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        Validate(entry);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = AppendLockKey }, transaction, cancellationToken: cancellationToken));

        const string last = "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
        var previous = await connection.QuerySingleOrDefaultAsync<ChainHead>(new CommandDefinition(last, transaction: transaction, cancellationToken: cancellationToken));
        var seq = (previous?.Seq ?? 0) + 1;
        var prevHash = previous?.Hash ?? AuditChain.Genesis;
        var at = AuditChain.Truncate(DateTimeOffset.UtcNow);
        var hash = AuditChain.Hash(seq, at, entry, prevHash);

        const string insert = """
            INSERT INTO audit_events (seq, at, actor, action, subject_type, subject_id, event_id, team_id, dataset_id, details, prev_hash, hash)
            VALUES (@seq, @at, @Actor, @Action, @SubjectType, @SubjectId, @EventId, @TeamId, @DatasetId, @DetailsJson, @prevHash, @hash)
            """;
        await connection.ExecuteAsync(new CommandDefinition(insert, new
        {
            seq, at, entry.Actor, entry.Action, entry.SubjectType, entry.SubjectId, entry.EventId, entry.TeamId, entry.DatasetId,
            entry.DetailsJson, prevHash, hash,
        }, transaction, cancellationToken: cancellationToken));
        return new AuditRecord(seq, at, entry, prevHash, hash);
    }

    /// <summary>The newest event's sequence number and hash (0 and the genesis hash for an empty trail).</summary>
    public async Task<(long Seq, string Hash)> HeadAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var head = await connection.QuerySingleOrDefaultAsync<ChainHead>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return head is null ? (0, AuditChain.Genesis) : (head.Seq, head.Hash);
    }

    /// <summary>Events matching the filter, newest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT seq, at, actor, action, subject_type, subject_id, event_id, team_id, dataset_id, details, prev_hash, hash
            FROM audit_events
            WHERE (@Actor::text IS NULL OR actor = @Actor)
              AND (@TeamId::bigint IS NULL OR team_id = @TeamId)
              AND (@DatasetId::bigint IS NULL OR dataset_id = @DatasetId)
              AND (@Action::text IS NULL OR action = @Action)
              AND (@From::timestamptz IS NULL OR at >= @From)
              AND (@To::timestamptz IS NULL OR at < @To)
            ORDER BY seq DESC
            LIMIT @Limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, query, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRecord()).ToList();
    }

    /// <summary>
    /// The newest <paramref name="limit"/> events with any of <paramref name="actions"/>, newest first: for a page that
    /// lists one kind of event from the whole trail (staff's integrity alerts, say).
    /// </summary>
    public async Task<IReadOnlyList<AuditRecord>> ListByActionsAsync(IReadOnlyCollection<string> actions, int limit, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT seq, at, actor, action, subject_type, subject_id, event_id, team_id, dataset_id, details, prev_hash, hash
            FROM audit_events WHERE action = ANY(@actions) ORDER BY seq DESC LIMIT @limit
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(sql, new { actions = actions.ToArray(), limit }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRecord()).ToList();
    }

    /// <summary>Recomputes the whole chain in order, streaming, and reports every break by sequence number.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        long expectedSeq = 1, checkedCount = 0;
        var prevHash = AuditChain.Genesis;
        await foreach (var record in ReadAllAsync(cancellationToken))
        {
            checkedCount++;
            if (record.Seq != expectedSeq)
                problems.Add(record.Seq > expectedSeq
                    ? $"events {expectedSeq}..{record.Seq - 1} are missing (deleted?)"
                    : $"event {record.Seq} is out of order");
            if (record.PrevHash != prevHash)
                problems.Add($"event {record.Seq} does not link to the event before it (an earlier event was changed or removed)");
            var recomputed = AuditChain.Hash(record.Seq, record.At, record.Entry, record.PrevHash);
            if (recomputed != record.Hash)
                problems.Add($"event {record.Seq} ({record.Entry.Action} by {record.Entry.Actor}) was changed after it was written");
            expectedSeq = record.Seq + 1;
            prevHash = record.Hash;
        }
        return new AuditVerification(checkedCount, expectedSeq - 1, prevHash, problems);
    }

    private async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT seq, at, actor, action, subject_type, subject_id, event_id, team_id, dataset_id, details, prev_hash, hash
            FROM audit_events ORDER BY seq
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
        var parser = reader.GetRowParser<AuditRow>();
        while (await reader.ReadAsync(cancellationToken)) yield return parser(reader).ToRecord();
    }

    private static void Validate(AuditEntry entry)
    {
        try
        {
            using var details = JsonDocument.Parse(entry.DetailsJson);
            if (details.RootElement.ValueKind != JsonValueKind.Object) throw new ArgumentException("audit details must be a JSON object", nameof(entry));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"audit details are not valid JSON: {e.Message}", nameof(entry), e);
        }
    }

    private sealed record ChainHead(long Seq, string Hash);

    private sealed class AuditRow
    {
        public long Seq { get; init; }
        public DateTime At { get; init; }
        public string Actor { get; init; } = "";
        public string Action { get; init; } = "";
        public string SubjectType { get; init; } = "";
        public string SubjectId { get; init; } = "";
        public long? EventId { get; init; }
        public long? TeamId { get; init; }
        public long? DatasetId { get; init; }
        public string Details { get; init; } = "";
        public string PrevHash { get; init; } = "";
        public string Hash { get; init; } = "";

        public AuditRecord ToRecord() => new(Seq, new DateTimeOffset(DateTime.SpecifyKind(At, DateTimeKind.Utc)),
            new AuditEntry(Actor, Action, SubjectType, SubjectId, EventId, TeamId, DatasetId, Details), PrevHash, Hash);
    }
}
