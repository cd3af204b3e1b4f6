using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Data.Tests.Repositories;

[Trait("Category", "Postgres")]
public sealed class EventAndDatasetRepositoryTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private Task<NpgsqlDataSource> MigratedDatabaseAsync() => postgres.CreateMigratedDatabaseAsync("repos");

    [Fact]
    public async Task An_event_with_teams_round_trips()
    {
        await using var db = await MigratedDatabaseAsync();
        var events = new EventRepository(Database.OpenedOn(db));

        var created = await events.CreateEventAsync(Slug.Parse("dk-2026", "event"), "Datakamp 2026", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        await events.CreateTeamAsync(created.Id, Slug.Parse("zuid", "team"), "Team Zuid", Ct);
        await events.CreateTeamAsync(created.Id, Slug.Parse("noord", "team"), "Team Noord", Ct);

        Assert.Equal(created, await events.FindEventAsync(Slug.Parse("dk-2026", "event"), Ct));
        Assert.Equal(["noord", "zuid"], (await events.ListTeamsAsync(created.Id, Ct)).Select(t => t.Slug.Value));
    }

    [Fact]
    public async Task Two_teams_with_one_name_in_one_event_are_refused_by_the_database()
    {
        await using var db = await MigratedDatabaseAsync();
        var events = new EventRepository(Database.OpenedOn(db));
        var dk = await events.CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), Ct);
        await events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "A", Ct);

        var error = await Assert.ThrowsAsync<PostgresException>(() => events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "A again", Ct));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }

    [Fact]
    public async Task A_dataset_and_its_grants_round_trip_with_purpose_and_grantor()
    {
        await using var db = await MigratedDatabaseAsync();
        var events = new EventRepository(Database.OpenedOn(db));
        var dk = await events.CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), Ct);
        var team = await events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "A", Ct);
        var datasets = new DatasetRepository(Database.OpenedOn(db));

        var persons = await datasets.RegisterAsync(new Dataset(0, dk.Id, "persons", "synthetic", "/data/persons.csv", new string('a', 64), 1234,
            ["person_id", "income"], "person_id", "cbs-persons"), Ct);
        await datasets.GrantAsync(new DatasetGrant(persons.Id, team.Id, "poverty by district", "staff:anna", DateTimeOffset.UtcNow), new DateOnly(2026, 1, 1), Ct);

        var listed = Assert.Single(await datasets.ListAsync(dk.Id, Ct));
        Assert.Equal(persons with { Columns = listed.Columns }, listed);
        Assert.Equal(["person_id", "income"], listed.Columns);
        var grant = Assert.Single(await datasets.ListGrantsAsync(persons.Id, Ct));
        Assert.Equal(("poverty by district", "staff:anna"), (grant.Purpose, grant.GrantedBy));
    }

    [Fact]
    public async Task A_dataset_whose_unit_column_is_not_one_of_its_columns_is_refused()
    {
        await using var db = await MigratedDatabaseAsync();
        var dk = await new EventRepository(Database.OpenedOn(db)).CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), Ct);

        var error = await Assert.ThrowsAsync<PostgresException>(() => new DatasetRepository(Database.OpenedOn(db)).RegisterAsync(
            new Dataset(0, dk.Id, "persons", "", "/data/p.csv", new string('b', 64), 1, ["income"], "person_id", "cbs-persons"), Ct));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }
}
