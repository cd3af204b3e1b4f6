using Dapper;
using Npgsql;

namespace Datakamp.Data.Transparency;

/// <summary>Read-only questions about data use, answered from the audit trail and the release tables.</summary>
public sealed class TransparencyQueries(NpgsqlDataSource dataSource)
{
    static TransparencyQueries() => DapperConventions.Apply();

    public async Task<DatasetAccess> DatasetAccessAsync(long datasetId, CancellationToken cancellationToken)
    {
        // A start counts when the team held a grant of the dataset in force at that moment: the sandbox mounts what is
        // granted. (A grant's last day is a date on the host's calendar; here it is compared with the UTC date.)
        const string startsSql = """
            SELECT a.at, a.actor, t.name AS team
            FROM audit_events a
            JOIN teams t ON t.id = a.team_id
            WHERE a.action IN ('sandbox.started', 'sandbox.restarted')
              AND EXISTS (SELECT 1 FROM dataset_grants g
                          WHERE g.dataset_id = @datasetId AND g.team_id = a.team_id AND g.granted_at <= a.at
                            AND (g.revoked_at IS NULL OR a.at < g.revoked_at)
                            AND (g.ends_on IS NULL OR (a.at AT TIME ZONE 'UTC')::date <= g.ends_on))
            ORDER BY a.seq
            """;
        // An IDE session names the datasets its sandbox held when it opened; its close is the next close of the same session.
        const string sessionsSql = """
            SELECT o.at AS opened_at, c.at AS closed_at, o.actor, t.name AS team, c.details::jsonb->>'reason' AS close_reason
            FROM audit_events o
            JOIN teams t ON t.id = o.team_id
            JOIN datasets d ON d.id = @datasetId AND d.event_id = o.event_id
            LEFT JOIN LATERAL (SELECT at, details FROM audit_events c
                               WHERE c.action = 'ide.session_closed' AND c.subject_id = o.subject_id AND c.seq > o.seq
                               ORDER BY c.seq LIMIT 1) c ON true
            WHERE o.action = 'ide.session_opened' AND jsonb_exists(o.details::jsonb->'datasets', d.name)
            ORDER BY o.seq
            """;
        const string outputsSql = """
            SELECT f.request_id, t.name AS team, f.name AS file, r.purpose, p.published_at, p.revoked_at
            FROM release_files f
            JOIN release_publications p ON p.request_id = f.request_id AND p.version = f.version
            JOIN release_outputs o ON o.request_id = f.request_id AND o.name = f.name
            JOIN release_requests r ON r.id = f.request_id
            JOIN teams t ON t.id = r.team_id
            WHERE f.dataset_id = @datasetId
            ORDER BY p.published_at, f.request_id, f.name COLLATE "C"
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var starts = await connection.QueryAsync<StartRow>(new CommandDefinition(startsSql, new { datasetId }, cancellationToken: cancellationToken));
        var sessions = await connection.QueryAsync<SessionRow>(new CommandDefinition(sessionsSql, new { datasetId }, cancellationToken: cancellationToken));
        var outputs = await connection.QueryAsync<OutputRow>(new CommandDefinition(outputsSql, new { datasetId }, cancellationToken: cancellationToken));
        return new DatasetAccess(
            starts.Select(s => new DatasetAccess.SandboxStart(Utc(s.At), s.Actor, s.Team)).ToList(),
            sessions.Select(s => new DatasetAccess.IdeSession(Utc(s.OpenedAt), s.ClosedAt is { } c ? Utc(c) : null, s.Actor, s.Team, s.CloseReason)).ToList(),
            outputs.Select(o => new DatasetAccess.ReleasedOutput(o.RequestId, o.Team, o.File, o.Purpose, Utc(o.PublishedAt), o.RevokedAt is { } r ? Utc(r) : null)).ToList());
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private sealed class StartRow
    {
        public DateTime At { get; init; }
        public string Actor { get; init; } = "";
        public string Team { get; init; } = "";
    }

    private sealed class SessionRow
    {
        public DateTime OpenedAt { get; init; }
        public DateTime? ClosedAt { get; init; }
        public string Actor { get; init; } = "";
        public string Team { get; init; } = "";
        public string? CloseReason { get; init; }
    }

    private sealed class OutputRow
    {
        public long RequestId { get; init; }
        public string Team { get; init; } = "";
        public string File { get; init; } = "";
        public string Purpose { get; init; } = "";
        public DateTime PublishedAt { get; init; }
        public DateTime? RevokedAt { get; init; }
    }
}
