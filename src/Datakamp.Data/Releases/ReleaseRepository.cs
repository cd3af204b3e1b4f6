using Dapper;
using Datakamp.Data.Audit;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;
using Npgsql;

namespace Datakamp.Data.Releases;

/// <summary>
/// Release requests in PostgreSQL (migration 0005). Every change runs in one transaction that locks the request's row,
/// rebuilds the state machine, lets it decide (an illegal move throws and nothing is written) and writes the new state,
/// its transitions, votes and audit events together: a change is recorded completely or not at all.
/// </summary>
public sealed class ReleaseRepository(Database database)
{
    // Read per call, not captured: the host constructs repositories before its database has started.
    private NpgsqlDataSource DataSource => database.DataSource;

    static ReleaseRepository() => DapperConventions.Apply();

    private AuditLog Audit => new(DataSource);

    /// <summary>
    /// Records a submission (state Submitted, version 1) and its audit event, made by <paramref name="audit"/> from the new id.
    /// Idempotent on <see cref="NewRelease.SubmissionKey"/>: a key seen before returns that request's id and Created=false,
    /// whatever else this call says. A key used by another team is refused.
    /// </summary>
    public async Task<(long Id, bool Created)> SubmitAsync(NewRelease release, DateTimeOffset at, Func<long, AuditEntry> audit, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var existing = await FindBySubmissionKeyAsync(connection, transaction, release, cancellationToken);
        if (existing is not null) return (existing.Value, false);

        const string requiredVotesSql = "SELECT e.release_checkers FROM teams t JOIN events e ON e.id = t.event_id WHERE t.id = @TeamId";
        var requiredVotes = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(requiredVotesSql, release, transaction, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"team {release.TeamId} does not exist");
        // The state machine validates the submission (purpose, files) before anything is written.
        var request = new ReleaseRequest(0, release.TeamId, release.Purpose.Trim(), release.Files.Select(f => f.Name).ToList(), requiredVotes);
        request.Submit(at);

        // ON CONFLICT: two posts with the same key at the same moment; the second waits for the first and finds its row.
        const string insert = """
            INSERT INTO release_requests (team_id, submitted_by, purpose, required_votes, state, version, submission_key, created_at, updated_at)
            VALUES (@TeamId, @SubmittedBy, @purpose, @requiredVotes, 'submitted', 1, @SubmissionKey, @at, @at)
            ON CONFLICT (submission_key) DO NOTHING
            RETURNING id
            """;
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(insert,
            new { release.TeamId, release.SubmittedBy, purpose = request.Purpose, requiredVotes, release.SubmissionKey, at = at.UtcDateTime }, transaction, cancellationToken: cancellationToken));
        if (id is null)
        {
            await transaction.RollbackAsync(cancellationToken);
            await using var retry = await connection.BeginTransactionAsync(cancellationToken);
            return ((await FindBySubmissionKeyAsync(connection, retry, release, cancellationToken))!.Value, false);
        }

        await InsertFilesAsync(connection, transaction, id.Value, 1, release.Files, cancellationToken);
        await InsertTransitionsAsync(connection, transaction, id.Value, 0, request.History, release.Actor, cancellationToken);
        await Audit.AppendAsync(audit(id.Value), connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (id.Value, true);
    }

    private static async Task<long?> FindBySubmissionKeyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NewRelease release, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, team_id FROM release_requests WHERE submission_key = @SubmissionKey";
        var row = await connection.QuerySingleOrDefaultAsync<KeyRow>(new CommandDefinition(sql, release, transaction, cancellationToken: cancellationToken));
        if (row is not null && row.TeamId != release.TeamId) throw new InvalidOperationException("this submission key belongs to another team's request");
        return row?.Id;
    }

    public async Task<ReleaseRecord?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await LoadAsync(connection, null, id, forUpdate: false, cancellationToken);
    }

    /// <summary>
    /// Changes one request: locks its row, rebuilds it, runs <paramref name="change"/> on it (which calls the state machine
    /// and says what else to write), then writes the new transitions (as <paramref name="actor"/>), votes, files and audit
    /// events. An exception from <paramref name="change"/> writes nothing. Returns the request as stored afterwards.
    /// </summary>
    public async Task<ReleaseRecord> ChangeAsync(long id, string actor, DateTimeOffset at, Func<ReleaseRecord, ReleaseChange> change, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var after = await ChangeAsync(Audit, connection, transaction, id, actor, at, change, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    /// <summary>The same change inside the caller's transaction (the check queue writes results and the move to checked together).</summary>
    internal static async Task<ReleaseRecord> ChangeAsync(AuditLog audit, NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string actor, DateTimeOffset at,
        Func<ReleaseRecord, ReleaseChange> change, CancellationToken cancellationToken)
    {
        var before = await LoadAsync(connection, transaction, id, forUpdate: true, cancellationToken)
            ?? throw new KeyNotFoundException($"release request {id} does not exist");
        var request = before.Request;
        var (historyBefore, votesBefore, versionBefore) = (request.History.Count, request.AllVotes.Count, request.Version);

        var what = change(before);

        if (request.Version != versionBefore)
            await InsertFilesAsync(connection, transaction, id, request.Version, what.NewVersionFiles, cancellationToken);
        foreach (var vote in request.AllVotes.Skip(votesBefore))
            await InsertVoteAsync(connection, transaction, id, vote, cancellationToken);
        await InsertTransitionsAsync(connection, transaction, id, before.Transitions.Count, request.History.Skip(historyBefore).ToList(), actor, cancellationToken);

        const string update = "UPDATE release_requests SET state = @state, version = @Version, updated_at = @at WHERE id = @Id";
        await connection.ExecuteAsync(new CommandDefinition(update,
            new { state = ReleaseStateNames.ToDb(request.State), request.Version, at = at.UtcDateTime, request.Id }, transaction, cancellationToken: cancellationToken));

        if (what.Publication is { } outputs)
        {
            if (outputs.Count == 0) throw new InvalidOperationException("a publication needs at least one output");
            const string publish = "INSERT INTO release_publications (request_id, version, published_at, published_by) VALUES (@id, @Version, @at, @actor)";
            await connection.ExecuteAsync(new CommandDefinition(publish, new { id, request.Version, at = at.UtcDateTime, actor }, transaction, cancellationToken: cancellationToken));
            const string output = """
                INSERT INTO release_outputs (request_id, name, sha256, size_bytes, media_type, form) VALUES (@id, @Name, @Sha256, @SizeBytes, @MediaType, @form)
                """;
            foreach (var o in outputs)
                await connection.ExecuteAsync(new CommandDefinition(output, new { id, o.Name, o.Sha256, o.SizeBytes, o.MediaType, form = ReleaseStateNames.ToDb(o.Form) },
                    transaction, cancellationToken: cancellationToken));
        }
        if (what.RevokeReason is { } reason)
        {
            const string revoke = """
                UPDATE release_publications SET revoked_at = @at, revoked_by = @actor, revoke_reason = @reason
                WHERE request_id = @id AND revoked_at IS NULL
                """;
            var revoked = await connection.ExecuteAsync(new CommandDefinition(revoke, new { id, at = at.UtcDateTime, actor, reason }, transaction, cancellationToken: cancellationToken));
            if (revoked != 1) throw new InvalidTransitionException(request.State, request.State, "there is no publication in force to revoke");
        }
        foreach (var entry in what.Audit) await audit.AppendAsync(entry, connection, transaction, cancellationToken);

        return (await LoadAsync(connection, transaction, id, forUpdate: false, cancellationToken))!;
    }

    /// <summary>
    /// Stores the automated check of one file. Only the first result counts (a check that ran twice after a crash does not
    /// overwrite); returns whether this call stored it. The audit event is written in the same transaction.
    /// </summary>
    public async Task<bool> RecordCheckAsync(long requestId, int version, string name, AutomatedCheck check, string summary, string? verdictJson,
        long? datasetId, DateTimeOffset at, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await StoreCheckAsync(connection, transaction, requestId, version, name, check, summary, verdictJson, datasetId, at, cancellationToken)) return false;
        await Audit.AppendAsync(audit, connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Stores a file's automated result in the caller's transaction unless it has one already; true when stored.</summary>
    internal static async Task<bool> StoreCheckAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long requestId, int version, string name,
        AutomatedCheck check, string summary, string? verdictJson, long? datasetId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE release_files SET check_status = @status, check_summary = @summary, check_verdict = @verdictJson::jsonb, dataset_id = @datasetId, checked_at = @at
            WHERE request_id = @requestId AND version = @version AND name = @name AND check_status IS NULL
            """;
        var updated = await connection.ExecuteAsync(new CommandDefinition(sql,
            new { status = ReleaseStateNames.ToDb(check), summary, verdictJson, datasetId, at = at.UtcDateTime, requestId, version, name }, transaction, cancellationToken: cancellationToken));
        return updated == 1;
    }

    /// <summary>Requests for a queue or a team's page: optionally one team, one event, some states; newest change first.</summary>
    public async Task<IReadOnlyList<ReleaseSummary>> ListAsync(long? teamId, long? eventId, IReadOnlyCollection<ReleaseState>? states, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT r.id, r.team_id, t.event_id, e.slug AS event_slug, t.slug AS team_slug, t.name AS team_name, r.state, r.version, r.required_votes,
                   (SELECT count(DISTINCT v.checker_id) FROM release_votes v WHERE v.request_id = r.id AND v.version = r.version)::int AS votes_cast,
                   r.purpose,
                   (SELECT count(*) FROM release_files f WHERE f.request_id = r.id AND f.version = r.version)::int AS file_count,
                   (SELECT CASE WHEN bool_or(f.check_status IS NULL) THEN NULL
                                WHEN bool_or(f.check_status = 'fail') THEN 'fail'
                                WHEN bool_or(f.check_status = 'review') THEN 'review' ELSE 'pass' END
                    FROM release_files f WHERE f.request_id = r.id AND f.version = r.version) AS worst_check,
                   r.created_at, r.updated_at
            FROM release_requests r JOIN teams t ON t.id = r.team_id JOIN events e ON e.id = t.event_id
            WHERE (@teamId::bigint IS NULL OR r.team_id = @teamId)
              AND (@eventId::bigint IS NULL OR t.event_id = @eventId)
              AND (@states::text[] IS NULL OR r.state = ANY(@states))
            ORDER BY r.updated_at DESC, r.id DESC
            """;
        var stateNames = states?.Select(ReleaseStateNames.ToDb).ToArray();
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SummaryRow>(new CommandDefinition(sql, new { teamId, eventId, states = stateNames }, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToSummary()).ToList();
    }

    /// <summary>The publications in force of one event (not revoked), oldest first, with their requests.</summary>
    public async Task<IReadOnlyList<ReleaseRecord>> ListPublishedAsync(long eventId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT p.request_id FROM release_publications p JOIN release_requests r ON r.id = p.request_id JOIN teams t ON t.id = r.team_id
            WHERE t.event_id = @eventId AND p.revoked_at IS NULL ORDER BY p.published_at, p.request_id
            """;
        return await LoadEachAsync(sql, new { eventId }, cancellationToken);
    }

    /// <summary>
    /// Every publication, in force or revoked (a revocation stays in the history), of one event or of all when
    /// <paramref name="eventId"/> is null; newest publication first, with their requests.
    /// </summary>
    public async Task<IReadOnlyList<ReleaseRecord>> ListPublicationsAsync(long? eventId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT p.request_id FROM release_publications p JOIN release_requests r ON r.id = p.request_id JOIN teams t ON t.id = r.team_id
            WHERE (@eventId::bigint IS NULL OR t.event_id = @eventId) ORDER BY p.published_at DESC, p.request_id DESC
            """;
        return await LoadEachAsync(sql, new { eventId }, cancellationToken);
    }

    /// <summary>The requests whose ids <paramref name="idsSql"/> selects, loaded whole, in the order it gives.</summary>
    private async Task<IReadOnlyList<ReleaseRecord>> LoadEachAsync(string idsSql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(idsSql, parameters, cancellationToken: cancellationToken))).ToList();
        var records = new List<ReleaseRecord>();
        foreach (var id in ids) records.Add((await LoadAsync(connection, null, id, forUpdate: false, cancellationToken))!);
        return records;
    }

    internal static async Task<ReleaseRecord?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, bool forUpdate, CancellationToken cancellationToken)
    {
        var sql = """
            SELECT r.id, r.team_id, t.event_id, e.slug AS event_slug, t.slug AS team_slug, t.name AS team_name, r.submitted_by, r.purpose,
                   r.required_votes, r.state, r.version, r.created_at, r.updated_at
            FROM release_requests r JOIN teams t ON t.id = r.team_id JOIN events e ON e.id = t.event_id
            WHERE r.id = @id
            """ + (forUpdate ? " FOR UPDATE OF r" : "");
        var row = await connection.QuerySingleOrDefaultAsync<RequestRow>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
        if (row is null) return null;

        const string filesSql = """
            SELECT version, name, sha256, size_bytes, media_type, check_status, check_summary, check_verdict::text AS check_verdict, dataset_id, checked_at
            FROM release_files WHERE request_id = @id ORDER BY version, name COLLATE "C"
            """;
        var files = (await connection.QueryAsync<FileRow>(new CommandDefinition(filesSql, new { id }, transaction, cancellationToken: cancellationToken)))
            .Select(f => f.ToFile()).ToList();

        const string votesSql = """
            SELECT version, checker_id, file_name, decision, comment, at FROM release_votes WHERE request_id = @id ORDER BY at, checker_id, file_name COLLATE "C"
            """;
        var votes = (await connection.QueryAsync<VoteRow>(new CommandDefinition(votesSql, new { id }, transaction, cancellationToken: cancellationToken)))
            .GroupBy(v => (v.Version, v.CheckerId))
            .Select(g => new ReviewVote(g.Key.CheckerId, g.Key.Version,
                g.ToDictionary(v => v.FileName, v => new FileReview(ReleaseStateNames.DecisionFromDb(v.Decision), v.Comment), StringComparer.Ordinal),
                Utc(g.Max(v => v.At))))
            .OrderBy(v => v.At).ToList();

        const string transitionsSql = "SELECT from_state, to_state, at, actor FROM release_transitions WHERE request_id = @id ORDER BY seq";
        var transitions = (await connection.QueryAsync<TransitionRow>(new CommandDefinition(transitionsSql, new { id }, transaction, cancellationToken: cancellationToken)))
            .Select(t => new ReleaseTransition(ReleaseStateNames.StateFromDb(t.FromState), ReleaseStateNames.StateFromDb(t.ToState), Utc(t.At), t.Actor)).ToList();

        const string publicationSql = "SELECT version, published_at, published_by, revoked_at, revoked_by, revoke_reason FROM release_publications WHERE request_id = @id";
        const string outputsSql = "SELECT name, sha256, size_bytes, media_type, form FROM release_outputs WHERE request_id = @id ORDER BY name COLLATE \"C\"";
        var outputs = (await connection.QueryAsync<OutputRow>(new CommandDefinition(outputsSql, new { id }, transaction, cancellationToken: cancellationToken)))
            .Select(o => o.ToOutput()).ToList();
        var publication = (await connection.QuerySingleOrDefaultAsync<PublicationRow>(new CommandDefinition(publicationSql, new { id }, transaction, cancellationToken: cancellationToken)))?.ToPublication(outputs);

        var request = ReleaseRequest.Restore(row.Id, row.TeamId, row.Purpose, row.RequiredVotes, ReleaseStateNames.StateFromDb(row.State), row.Version,
            files.Where(f => f.Version == row.Version).Select(f => f.Name).ToList(), votes,
            transitions.Select(t => (t.From, t.To, t.At)));
        return new ReleaseRecord(request, row.EventId, row.EventSlug, row.TeamSlug, row.TeamName, row.SubmittedBy, Utc(row.CreatedAt), Utc(row.UpdatedAt),
            files, transitions, publication);
    }

    private static async Task InsertFilesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, int version, IReadOnlyList<NewReleaseFile> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0) throw new InvalidOperationException("a new version needs its files");
        const string sql = """
            INSERT INTO release_files (request_id, version, name, sha256, size_bytes, media_type) VALUES (@id, @version, @Name, @Sha256, @SizeBytes, @MediaType)
            """;
        // Each file's automated check is queued with it: a recorded version is never without its checks.
        const string enqueue = "INSERT INTO release_checks (request_id, version, file_name) VALUES (@id, @version, @Name)";
        foreach (var file in files)
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, new { id, version, file.Name, file.Sha256, file.SizeBytes, file.MediaType }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(enqueue, new { id, version, file.Name }, transaction, cancellationToken: cancellationToken));
        }
    }

    private static async Task InsertTransitionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, int firstSeq,
        IReadOnlyList<(ReleaseState From, ReleaseState To, DateTimeOffset At)> transitions, string actor, CancellationToken cancellationToken)
    {
        const string sql = "INSERT INTO release_transitions (request_id, seq, from_state, to_state, at, actor) VALUES (@id, @seq, @from, @to, @at, @actor)";
        var seq = firstSeq;
        foreach (var (from, to, at) in transitions)
            await connection.ExecuteAsync(new CommandDefinition(sql,
                new { id, seq = ++seq, from = ReleaseStateNames.ToDb(from), to = ReleaseStateNames.ToDb(to), at = at.UtcDateTime, actor }, transaction, cancellationToken: cancellationToken));
    }

    private static async Task InsertVoteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, ReviewVote vote, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO release_votes (request_id, version, checker_id, file_name, decision, comment, at) VALUES (@id, @version, @checker, @file, @decision, @comment, @at)
            """;
        foreach (var (file, review) in vote.Files)
            await connection.ExecuteAsync(new CommandDefinition(sql, new
            {
                id, version = vote.Version, checker = vote.CheckerAccountId, file, decision = ReleaseStateNames.ToDb(review.Decision),
                comment = review.Comment.Trim(), at = vote.At.UtcDateTime,
            }, transaction, cancellationToken: cancellationToken));
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed record KeyRow(long Id, long TeamId);

    private sealed class RequestRow
    {
        public long Id { get; init; }
        public long TeamId { get; init; }
        public long EventId { get; init; }
        public string EventSlug { get; init; } = "";
        public string TeamSlug { get; init; } = "";
        public string TeamName { get; init; } = "";
        public long SubmittedBy { get; init; }
        public string Purpose { get; init; } = "";
        public int RequiredVotes { get; init; }
        public string State { get; init; } = "";
        public int Version { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    private sealed class FileRow
    {
        public int Version { get; init; }
        public string Name { get; init; } = "";
        public string Sha256 { get; init; } = "";
        public long SizeBytes { get; init; }
        public string MediaType { get; init; } = "";
        public string? CheckStatus { get; init; }
        public string? CheckSummary { get; init; }
        public string? CheckVerdict { get; init; }
        public long? DatasetId { get; init; }
        public DateTime? CheckedAt { get; init; }

        public ReleaseFile ToFile() => new(Version, Name, Sha256, SizeBytes, MediaType, ReleaseStateNames.CheckFromDb(CheckStatus), CheckSummary, CheckVerdict,
            DatasetId, CheckedAt is { } at ? Utc(at) : null);
    }

    private sealed class VoteRow
    {
        public int Version { get; init; }
        public long CheckerId { get; init; }
        public string FileName { get; init; } = "";
        public string Decision { get; init; } = "";
        public string Comment { get; init; } = "";
        public DateTime At { get; init; }
    }

    private sealed class TransitionRow
    {
        public string FromState { get; init; } = "";
        public string ToState { get; init; } = "";
        public DateTime At { get; init; }
        public string Actor { get; init; } = "";
    }

    private sealed class PublicationRow
    {
        public int Version { get; init; }
        public DateTime PublishedAt { get; init; }
        public string PublishedBy { get; init; } = "";
        public DateTime? RevokedAt { get; init; }
        public string? RevokedBy { get; init; }
        public string? RevokeReason { get; init; }

        public Publication ToPublication(IReadOnlyList<PublishedOutput> outputs) =>
            new(Version, Utc(PublishedAt), PublishedBy, RevokedAt is { } at ? Utc(at) : null, RevokedBy, RevokeReason, outputs);
    }

    private sealed class OutputRow
    {
        public string Name { get; init; } = "";
        public string Sha256 { get; init; } = "";
        public long SizeBytes { get; init; }
        public string MediaType { get; init; } = "";
        public string Form { get; init; } = "";

        public PublishedOutput ToOutput() => new(Name, Sha256, SizeBytes, MediaType, ReleaseStateNames.FormFromDb(Form));
    }

    private sealed class SummaryRow
    {
        public long Id { get; init; }
        public long TeamId { get; init; }
        public long EventId { get; init; }
        public string EventSlug { get; init; } = "";
        public string TeamSlug { get; init; } = "";
        public string TeamName { get; init; } = "";
        public string State { get; init; } = "";
        public int Version { get; init; }
        public int RequiredVotes { get; init; }
        public int VotesCast { get; init; }
        public string Purpose { get; init; } = "";
        public int FileCount { get; init; }
        public string? WorstCheck { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }

        public ReleaseSummary ToSummary() => new(Id, TeamId, EventId, EventSlug, TeamSlug, TeamName, ReleaseStateNames.StateFromDb(State), Version, RequiredVotes,
            VotesCast, Purpose, FileCount, ReleaseStateNames.CheckFromDb(WorstCheck), Utc(CreatedAt), Utc(UpdatedAt));
    }
}
