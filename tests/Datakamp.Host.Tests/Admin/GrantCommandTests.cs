using Dapper;
using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Host.Tests.Admin;

/// <summary>Issue 14: <c>admin grant --until</c> and <c>admin revoke-grant</c>, run as the real executable against a migrated database.</summary>
public sealed class GrantCommandTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Staff_grant_until_a_day_revoke_with_a_reason_and_grant_again_and_every_step_is_kept_and_audited()
    {
        await using var world = await WorldAsync();
        var until = GrantCalendar.Today(TimeProvider.System).AddDays(2).ToString("yyyy-MM-dd");

        var grant = await world.RunAsync("grant", "--event", "dk", "--dataset", "persons", "--team", "zuid", "--purpose", "Poverty by district", "--until", until);
        var revoke = await world.RunAsync("revoke-grant", "--event", "dk", "--dataset", "persons", "--team", "zuid", "--reason", "Question answered");
        var grantAgain = await world.RunAsync("grant", "--event", "dk", "--dataset", "persons", "--team", "zuid", "--purpose", "A second question");

        Assert.Equal((0, $"granted dataset persons to team dk/zuid until {until}; a running sandbox gets it at its next reconciliation (its container is replaced, the workspace stays)"),
            (grant.Exit, grant.Output));
        Assert.Equal((0, "revoked the grant of dataset persons to team dk/zuid; a running sandbox loses it at its next reconciliation (its container is replaced, the workspace stays)"),
            (revoke.Exit, revoke.Output));
        Assert.Equal(0, grantAgain.Exit);
        var history = await new DatasetRepository(world.Db).ListGrantsAsync(world.Persons.Id, Ct);
        Assert.Equal([("Poverty by district", (string?)until, (string?)"Question answered"), ("A second question", null, null)],
            history.Select(g => (g.Purpose, g.EndsOn?.ToString("yyyy-MM-dd"), g.Revocation?.Reason)));
        Assert.Equal([
            ("dataset.granted", $$"""{"grant":{{history[0].Id}},"purpose":"Poverty by district","until":"{{until}}"}"""),
            ("dataset.grant_revoked", $$"""{"grant":{{history[0].Id}},"reason":"Question answered","purpose":"Poverty by district"}"""),
            ("dataset.granted", $$"""{"grant":{{history[1].Id}},"purpose":"A second question","until":null}"""),
        ], await world.AuditAsync());
    }

    [Fact]
    public async Task Bad_grants_and_revocations_are_named_and_write_nothing()
    {
        await using var world = await WorldAsync();
        var today = GrantCalendar.Today(TimeProvider.System);
        var yesterday = today.AddDays(-1).ToString("yyyy-MM-dd");

        var past = await world.RunAsync("grant", "--event", "dk", "--dataset", "persons", "--team", "zuid", "--purpose", "p", "--until", yesterday);
        var notADate = await world.RunAsync("grant", "--event", "dk", "--dataset", "persons", "--team", "zuid", "--purpose", "p", "--until", "25-11-2026");
        var otherTeam = await world.RunAsync("grant", "--event", "dk", "--dataset", "persons", "--team", "noord", "--purpose", "p");
        var otherDataset = await world.RunAsync("grant", "--event", "dk", "--dataset", "firms", "--team", "zuid", "--purpose", "p");
        var revokeNone = await world.RunAsync("revoke-grant", "--event", "dk", "--dataset", "persons", "--team", "zuid", "--reason", "r");
        var revokeWithoutReason = await world.RunAsync("revoke-grant", "--event", "dk", "--dataset", "persons", "--team", "zuid");

        Assert.Equal((64, $"datakamp: --until {yesterday} is in the past (today is {today:yyyy-MM-dd}): give the grant's last day to come, or no --until"), (past.Exit, past.Error));
        Assert.Equal((64, "datakamp: --until '25-11-2026' must be a date as YYYY-MM-DD (the grant's last day)"), (notADate.Exit, notADate.Error));
        Assert.Equal((64, "datakamp: team 'noord' is of event 'other', not of 'dk': a team is only granted data of its own event"), (otherTeam.Exit, otherTeam.Error));
        Assert.Equal((64, "datakamp: dataset 'firms' is of event 'other', not of 'dk': a team is only granted data of its own event"), (otherDataset.Exit, otherDataset.Error));
        Assert.Equal((65, "datakamp: team 'zuid' has no grant of dataset 'persons' in force: nothing to revoke"), (revokeNone.Exit, revokeNone.Error));
        Assert.Equal((64, "datakamp: --reason is required"), (revokeWithoutReason.Exit, revokeWithoutReason.Error));
        Assert.Empty(await new DatasetRepository(world.Db).ListGrantsAsync(world.Persons.Id, Ct));
        Assert.Empty(await world.AuditAsync());
    }

    /// <summary>Events dk (team zuid, dataset persons) and other (team noord, dataset firms) in a migrated database of their own.</summary>
    private async Task<World> WorldAsync()
    {
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        var connectionString = await postgres.CreateDatabaseAsync("grantverbs");
        var db = DataSourceFactory.Create(connectionString, TimeSpan.FromSeconds(5));
        await new Migrator(db, Migration.Embedded, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).MigrateAsync(Ct);
        var events = new EventRepository(db);
        var datasets = new DatasetRepository(db);
        var dk = await events.CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        var other = await events.CreateEventAsync(Slug.Parse("other", "event"), "Other", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        await events.CreateTeamAsync(dk.Id, Slug.Parse("zuid", "team"), "Zuid", Ct);
        await events.CreateTeamAsync(other.Id, Slug.Parse("noord", "team"), "Noord", Ct);
        var persons = await datasets.RegisterAsync(new Dataset(0, dk.Id, "persons", "", "/srv/persons.csv", new string('a', 64), 10, ["person_id"], "person_id", "cbs-persons"), Ct);
        await datasets.RegisterAsync(new Dataset(0, other.Id, "firms", "", "/srv/firms.csv", new string('b', 64), 10, ["firm_id"], "firm_id", "cbs-persons"), Ct);
        return new World(db, connectionString, persons);
    }

    private sealed class World(NpgsqlDataSource db, string connectionString, Dataset persons) : IAsyncDisposable
    {
        private readonly ScratchStateDirectory _state = new();

        public NpgsqlDataSource Db => db;
        public Dataset Persons => persons;

        public Task<(int Exit, string Output, string Error)> RunAsync(params string[] verb) =>
            AdminCommandTests.RunAsync(["admin", .. verb, _state.Setting, $"--Database:ConnectionString={connectionString}"]);

        public async Task<List<(string Action, string Details)>> AuditAsync()
        {
            await using var connection = await db.OpenConnectionAsync(Ct);
            return (await connection.QueryAsync<(string, string)>("SELECT action, details FROM audit_events ORDER BY seq")).ToList();
        }

        public async ValueTask DisposeAsync()
        {
            await db.DisposeAsync();
            _state.Dispose();
        }
    }
}
