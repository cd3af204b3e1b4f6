using Dapper;
using Datakamp.Domain;
using Datakamp.Domain.Sandboxes;
using Npgsql;

namespace Datakamp.Data.Repositories;

/// <summary>The desired state of each team's sandbox.</summary>
public sealed class SandboxRepository(Database database)
{
    // Read per call, not captured: the host constructs repositories before its database has started.
    private NpgsqlDataSource DataSource => database.DataSource;

    static SandboxRepository() => DapperConventions.Apply();

    private const string SelectSandbox = """
        SELECT s.team_id, e.slug AS event_slug, t.slug AS team_slug, t.event_id, s.desired_state, s.container_name, s.container_id,
               s.ide_token, s.generation, s.last_error
        FROM sandboxes s JOIN teams t ON t.id = s.team_id JOIN events e ON e.id = t.event_id
        """;

    /// <summary>This database's installation id (see migration 0003).</summary>
    public async Task<string> GetInstallationIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT id FROM installation", cancellationToken: cancellationToken)) ?? "";
    }

    /// <summary>The team's sandbox row, created (stopped, with a fresh token) if it does not exist yet.</summary>
    public async Task<SandboxRecord> GetOrCreateAsync(long teamId, string containerName, string newToken, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO sandboxes (team_id, desired_state, container_name, ide_token) VALUES (@teamId, 'stopped', @containerName, @newToken)
            ON CONFLICT (team_id) DO NOTHING
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(insert, new { teamId, containerName, newToken }, cancellationToken: cancellationToken));
        return (await FindAsync(connection, teamId, cancellationToken))!;
    }

    public async Task<SandboxRecord?> FindAsync(long teamId, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, teamId, cancellationToken);
    }

    private static async Task<SandboxRecord?> FindAsync(NpgsqlConnection connection, long teamId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SandboxRow>(new CommandDefinition($"{SelectSandbox} WHERE s.team_id = @teamId", new { teamId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<SandboxRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<SandboxRow>(new CommandDefinition($"{SelectSandbox} ORDER BY e.slug, t.slug", cancellationToken: cancellationToken));
        return rows.Select(row => row.ToRecord()).ToList();
    }

    public async Task SetDesiredStateAsync(long teamId, SandboxDesiredState state, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE sandboxes SET desired_state = @state, updated_at = now() WHERE team_id = @teamId";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { teamId, state = ToText(state) }, cancellationToken: cancellationToken));
    }

    /// <summary>Records what the last attempt to reach the desired state gave: the container id, or why it failed.</summary>
    public async Task RecordOutcomeAsync(long teamId, string? containerId, string? error, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE sandboxes SET container_id = @containerId, last_error = @error, updated_at = now() WHERE team_id = @teamId";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { teamId, containerId, error }, cancellationToken: cancellationToken));
    }

    /// <summary>A reset: next generation, new IDE token, container forgotten.</summary>
    public async Task BeginNewGenerationAsync(long teamId, string newToken, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE sandboxes SET generation = generation + 1, ide_token = @newToken, container_id = NULL, last_error = NULL, updated_at = now()
            WHERE team_id = @teamId
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { teamId, newToken }, cancellationToken: cancellationToken));
    }

    private static string ToText(SandboxDesiredState state) => state == SandboxDesiredState.Running ? "running" : "stopped";

    private sealed class SandboxRow
    {
        public long TeamId { get; init; }
        public string EventSlug { get; init; } = "";
        public string TeamSlug { get; init; } = "";
        public long EventId { get; init; }
        public string DesiredState { get; init; } = "";
        public string ContainerName { get; init; } = "";
        public string? ContainerId { get; init; }
        public string IdeToken { get; init; } = "";
        public int Generation { get; init; }
        public string? LastError { get; init; }

        public SandboxRecord ToRecord() => new(TeamId, Slug.Parse(EventSlug, "events.slug"), Slug.Parse(TeamSlug, "teams.slug"), EventId,
            DesiredState == "running" ? SandboxDesiredState.Running : SandboxDesiredState.Stopped,
            ContainerName, ContainerId, IdeToken, Generation, LastError);
    }
}
