using Datakamp.Data;
using Dapper;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Data.Tests.Repositories;

/// <summary>Issue 14: grants with an end date and revocation; a grant in force is what a team's data is made of, and no grant row is ever lost.</summary>
[Trait("Category", "Postgres")]
public sealed class DatasetGrantRepositoryTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateOnly Today = new(2026, 11, 24);

    [Fact]
    public async Task A_grant_past_its_end_date_is_not_in_force()
    {
        var (db, team, persons) = await GrantedWorldAsync();
        await using var _ = db;
        var datasets = new DatasetRepository(Database.OpenedOn(db));
        await datasets.GrantAsync(Grant(persons, team, endsOn: Today.AddDays(-1)), Today.AddDays(-1), Ct);

        Assert.Equal(["persons"], (await datasets.ListGrantedToTeamAsync(team.Id, Today.AddDays(-1), Ct)).Select(d => d.Name));   // its last day counts
        Assert.Empty(await datasets.ListGrantedToTeamAsync(team.Id, Today, Ct));
        var stored = Assert.Single(await datasets.ListGrantsAsync(persons.Id, Ct));
        Assert.Equal(Today.AddDays(-1), stored.EndsOn);
        Assert.False(stored.IsInForce(Today));
    }

    [Fact]
    public async Task A_revoked_grant_is_not_in_force_keeps_its_row_with_the_revocation_and_can_be_granted_again_as_a_new_grant()
    {
        var (db, team, persons) = await GrantedWorldAsync();
        await using var _ = db;
        var datasets = new DatasetRepository(Database.OpenedOn(db));
        var first = await datasets.GrantAsync(Grant(persons, team, endsOn: null), Today, Ct);

        var revoked = await datasets.RevokeAsync(persons.Id, team.Id, new GrantRevocation(DateTimeOffset.UtcNow, "staff:anna", "purpose fulfilled"), Today, Ct);

        Assert.Equal(first!.Id, revoked!.Id);
        Assert.Equal(("staff:anna", "purpose fulfilled"), (revoked.Revocation!.RevokedBy, revoked.Revocation.Reason));
        Assert.Empty(await datasets.ListGrantedToTeamAsync(team.Id, Today, Ct));

        var second = await datasets.GrantAsync(Grant(persons, team, endsOn: Today.AddDays(3)) with { Purpose = "a second question" }, Today, Ct);

        Assert.NotEqual(first.Id, second!.Id);
        Assert.Equal(["persons"], (await datasets.ListGrantedToTeamAsync(team.Id, Today, Ct)).Select(d => d.Name));
        var history = await datasets.ListGrantsAsync(persons.Id, Ct);
        Assert.Equal([(first.Id, "purpose fulfilled"), (second.Id, null)], history.Select(g => (g.Id, g.Revocation?.Reason)));
    }

    [Fact]
    public async Task A_second_grant_while_one_is_in_force_and_a_revocation_with_none_in_force_write_nothing()
    {
        var (db, team, persons) = await GrantedWorldAsync();
        await using var _ = db;
        var datasets = new DatasetRepository(Database.OpenedOn(db));
        Assert.Null(await datasets.RevokeAsync(persons.Id, team.Id, new GrantRevocation(DateTimeOffset.UtcNow, "staff:anna", "none yet"), Today, Ct));
        await datasets.GrantAsync(Grant(persons, team, endsOn: Today), Today, Ct);

        Assert.Null(await datasets.GrantAsync(Grant(persons, team, endsOn: null), Today, Ct));
        // Ended (not revoked): nothing is in force to revoke, and the ended grant keeps its history as it was.
        Assert.Null(await datasets.RevokeAsync(persons.Id, team.Id, new GrantRevocation(DateTimeOffset.UtcNow, "staff:anna", "late"), Today.AddDays(1), Ct));

        var only = Assert.Single(await datasets.ListGrantsAsync(persons.Id, Ct));
        Assert.Equal((Today, (GrantRevocation?)null), (only.EndsOn, only.Revocation));
        // After it ended the team may be granted the data again.
        Assert.NotNull(await datasets.GrantAsync(Grant(persons, team, endsOn: null), Today.AddDays(1), Ct));
    }

    [Fact]
    public async Task A_revocation_without_its_reason_is_refused_by_the_database()
    {
        var (db, team, persons) = await GrantedWorldAsync();
        await using var _ = db;
        var grant = await new DatasetRepository(Database.OpenedOn(db)).GrantAsync(Grant(persons, team, endsOn: null), Today, Ct);
        await using var connection = await db.OpenConnectionAsync(Ct);

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync("UPDATE dataset_grants SET revoked_at = now(), revoked_by = 'staff:anna' WHERE id = @Id", new { grant!.Id }));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    private static DatasetGrant Grant(Dataset dataset, Team team, DateOnly? endsOn) =>
        new(dataset.Id, team.Id, "poverty by district", "staff:anna", DateTimeOffset.UtcNow, endsOn);

    private async Task<(NpgsqlDataSource Db, Team Team, Dataset Persons)> GrantedWorldAsync()
    {
        var db = await postgres.CreateMigratedDatabaseAsync("grants");
        var events = new EventRepository(Database.OpenedOn(db));
        var dk = await events.CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        var team = await events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "A", Ct);
        var persons = await new DatasetRepository(Database.OpenedOn(db)).RegisterAsync(new Dataset(0, dk.Id, "persons", "synthetic", "/data/persons.csv", new string('a', 64), 1234,
            ["person_id", "income"], "person_id", "cbs-persons"), Ct);
        return (db, team, persons);
    }
}
