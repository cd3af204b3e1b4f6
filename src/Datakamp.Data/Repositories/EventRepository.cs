using Dapper;
using Datakamp.Domain;
using Datakamp.Domain.Events;
using Npgsql;

namespace Datakamp.Data.Repositories;

/// <summary>Events and their teams.</summary>
public sealed class EventRepository(Database database)
{
    // Read per call, not captured: the host constructs repositories before its database has started.
    private NpgsqlDataSource DataSource => database.DataSource;

    static EventRepository() => DapperConventions.Apply();

    public async Task<Event> CreateEventAsync(Slug slug, string name, DateOnly startsOn, DateOnly endsOn, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO events (slug, name, starts_on, ends_on) VALUES (@slug, @name, @startsOn, @endsOn)
            RETURNING id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { slug = slug.Value, name, startsOn, endsOn }, cancellationToken: cancellationToken));
        return new Event(id, slug, name, startsOn, endsOn);
    }

    /// <summary>How many independent output checkers review each request of the event: 1, or 2 (blind until both voted).</summary>
    public async Task SetReleaseCheckersAsync(long eventId, int checkers, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE events SET release_checkers = @checkers WHERE id = @eventId";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { eventId, checkers }, cancellationToken: cancellationToken));
    }

    public async Task<int> GetReleaseCheckersAsync(long eventId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT release_checkers FROM events WHERE id = @eventId";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { eventId }, cancellationToken: cancellationToken));
    }

    public async Task<Event?> FindEventAsync(Slug slug, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, slug, name, starts_on, ends_on FROM events WHERE slug = @slug";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(sql, new { slug = slug.Value }, cancellationToken: cancellationToken));
        return row?.ToEvent();
    }

    /// <summary>The event's own sandbox settings; null fields mean "the host's default".</summary>
    public async Task<EventSandboxSettings> GetSandboxSettingsAsync(long eventId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT sandbox_image AS image, sandbox_memory_mb AS memory_mb, sandbox_cpus AS cpus, sandbox_pids AS pids, sandbox_workspace_mb AS workspace_mb FROM events WHERE id = @eventId";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<EventSandboxSettings>(new CommandDefinition(sql, new { eventId }, cancellationToken: cancellationToken));
    }

    /// <summary>The event's own sandbox settings; a null setting means the host's default.</summary>
    public async Task SetSandboxSettingsAsync(long eventId, EventSandboxSettings settings, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE events SET sandbox_image = @Image, sandbox_memory_mb = @MemoryMb, sandbox_cpus = @Cpus, sandbox_pids = @Pids, sandbox_workspace_mb = @WorkspaceMb
            WHERE id = @eventId
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { eventId, settings.Image, settings.MemoryMb, settings.Cpus, settings.Pids, settings.WorkspaceMb },
            cancellationToken: cancellationToken));
    }

    public async Task<Team?> FindTeamAsync(long teamId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, event_id, slug, name FROM teams WHERE id = @teamId";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TeamRow>(new CommandDefinition(sql, new { teamId }, cancellationToken: cancellationToken));
        return row?.ToTeam();
    }

    public async Task<IReadOnlyList<Event>> ListEventsAsync(CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, slug, name, starts_on, ends_on FROM events ORDER BY starts_on DESC, slug";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return rows.Select(row => row.ToEvent()).ToList();
    }

    public async Task<Event?> FindEventByIdAsync(long eventId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, slug, name, starts_on, ends_on FROM events WHERE id = @eventId";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(sql, new { eventId }, cancellationToken: cancellationToken));
        return row?.ToEvent();
    }

    public async Task<Team> CreateTeamAsync(long eventId, Slug slug, string name, CancellationToken cancellationToken)
    {
        const string sql = "INSERT INTO teams (event_id, slug, name) VALUES (@eventId, @slug, @name) RETURNING id";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { eventId, slug = slug.Value, name }, cancellationToken: cancellationToken));
        return new Team(id, eventId, slug, name);
    }

    public async Task<IReadOnlyList<Team>> ListTeamsAsync(long eventId, CancellationToken cancellationToken)
    {
        const string sql = "SELECT id, event_id, slug, name FROM teams WHERE event_id = @eventId ORDER BY slug";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TeamRow>(new CommandDefinition(sql, new { eventId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToTeam()).ToList();
    }

    /// <summary>The slugs of the events that have a team <paramref name="teamSlug"/>: to tell staff where the one they named is.</summary>
    public async Task<IReadOnlyList<string>> ListEventsWithTeamAsync(Slug teamSlug, CancellationToken cancellationToken)
    {
        const string sql = "SELECT e.slug FROM events e JOIN teams t ON t.event_id = e.id WHERE t.slug = @slug ORDER BY e.slug";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, new { slug = teamSlug.Value }, cancellationToken: cancellationToken))).ToList();
    }

    // Rows as the database returns them; slugs were validated on the way in and are checked again on the way out.
    private sealed record EventRow(long Id, string Slug, string Name, DateOnly StartsOn, DateOnly EndsOn)
    {
        public Event ToEvent() => new(Id, Domain.Slug.Parse(Slug, "events.slug"), Name, StartsOn, EndsOn);
    }

    private sealed record TeamRow(long Id, long EventId, string Slug, string Name)
    {
        public Team ToTeam() => new(Id, EventId, Domain.Slug.Parse(Slug, "teams.slug"), Name);
    }
}
