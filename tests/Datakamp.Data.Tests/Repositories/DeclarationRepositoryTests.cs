using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Events;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Data.Tests.Repositories;

[Trait("Category", "Postgres")]
public sealed class DeclarationRepositoryTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private const string V1 = "I keep the microdata confidential and try to identify nobody.";
    private const string V2 = "I keep the microdata confidential, try to identify nobody, and report any breach.";

    [Fact]
    public async Task Versions_count_up_per_event_the_newest_is_in_force_and_each_publication_is_audited()
    {
        await using var db = await postgres.CreateMigratedDatabaseAsync("declarations");
        var (dk, _, _) = await EventWithMemberAsync(db);
        var other = await new EventRepository(Database.OpenedOn(db)).CreateEventAsync(Slug.Parse("other", "event"), "Other", new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 2), Ct);
        var declarations = new DeclarationRepository(Database.OpenedOn(db));

        Assert.Null(await declarations.CurrentAsync(dk, Ct));
        var first = await declarations.PublishAsync(dk, V1, "staff:anna", Monday, Ct);
        var second = await declarations.PublishAsync(dk, V2, "staff:anna", Monday.AddHours(1), Ct);
        var elsewhere = await declarations.PublishAsync(other.Id, V1, "staff:anna", Monday, Ct);

        Assert.Equal((1, 2, 1), (first.Version, second.Version, elsewhere.Version));
        Assert.Equal(new Declaration(dk, 2, V2, Declaration.HashOf(V2), Monday.AddHours(1), "staff:anna"), await declarations.CurrentAsync(dk, Ct));
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(V2))).ToLowerInvariant(), second.Sha256);
        var audit = await new AuditLog(db).QueryAsync(new AuditQuery(Action: AuditActions.DeclarationPublished), Ct);
        Assert.Equal([(other.Id, "1"), (dk, "2"), (dk, "1")], audit.Select(r => (r.Entry.EventId!.Value, r.Entry.SubjectId)));
        Assert.Contains(second.Sha256, audit[1].Entry.DetailsJson);
    }

    [Fact]
    public async Task An_acceptance_names_version_and_hash_is_kept_once_audited_once_and_a_new_version_is_due_again()
    {
        await using var db = await postgres.CreateMigratedDatabaseAsync("declarations");
        var (dk, team, member) = await EventWithMemberAsync(db);
        var declarations = new DeclarationRepository(Database.OpenedOn(db));

        Assert.Null(await declarations.DueForAsync(member, Ct));   // no declaration: nothing is held back
        var v1 = await declarations.PublishAsync(dk, V1, "staff:anna", Monday, Ct);
        Assert.Equal(v1, await declarations.DueForAsync(member, Ct));

        var accepted = await declarations.AcceptAsync(member, team, v1, "team:dk/a/piet", Monday.AddMinutes(5), Ct);
        var acceptedAgain = await declarations.AcceptAsync(member, team, v1, "team:dk/a/piet", Monday.AddMinutes(9), Ct);

        Assert.Equal(new DeclarationAcceptance(member, dk, 1, v1.Sha256, Monday.AddMinutes(5)), accepted);
        Assert.Equal(accepted, acceptedAgain);
        Assert.Null(await declarations.DueForAsync(member, Ct));
        var audited = Assert.Single(await new AuditLog(db).QueryAsync(new AuditQuery(Action: AuditActions.DeclarationAccepted), Ct));
        Assert.Equal(("team:dk/a/piet", dk, team, "1"), (audited.Entry.Actor, audited.Entry.EventId, audited.Entry.TeamId, audited.Entry.SubjectId));
        Assert.Contains(v1.Sha256, audited.Entry.DetailsJson);

        var v2 = await declarations.PublishAsync(dk, V2, "staff:anna", Monday.AddDays(1), Ct);
        Assert.Equal(v2, await declarations.DueForAsync(member, Ct));
        Assert.Null(await declarations.FindAcceptanceAsync(member, dk, 2, Ct));
    }

    [Fact]
    public async Task Staff_and_checkers_outside_teams_have_nothing_due()
    {
        await using var db = await postgres.CreateMigratedDatabaseAsync("declarations");
        var (dk, _, _) = await EventWithMemberAsync(db);
        await new DeclarationRepository(Database.OpenedOn(db)).PublishAsync(dk, V1, "staff:anna", Monday, Ct);
        var accounts = new AccountRepository(Database.OpenedOn(db));
        var staff = await accounts.CreateAsync("anna", "Anna", true, false, null, Ct);
        var checker = await accounts.CreateAsync("chris", "Chris", false, true, null, Ct);

        Assert.Null(await new DeclarationRepository(Database.OpenedOn(db)).DueForAsync(staff.Id, Ct));
        Assert.Null(await new DeclarationRepository(Database.OpenedOn(db)).DueForAsync(checker.Id, Ct));
    }

    [Fact]
    public async Task The_database_refuses_an_acceptance_whose_hash_is_not_that_of_the_version()
    {
        await using var db = await postgres.CreateMigratedDatabaseAsync("declarations");
        var (dk, team, member) = await EventWithMemberAsync(db);
        var v1 = await new DeclarationRepository(Database.OpenedOn(db)).PublishAsync(dk, V1, "staff:anna", Monday, Ct);

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            new DeclarationRepository(Database.OpenedOn(db)).AcceptAsync(member, team, v1 with { Sha256 = Declaration.HashOf(V2) }, "team:dk/a/piet", Monday, Ct));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Empty(await new AuditLog(db).QueryAsync(new AuditQuery(Action: AuditActions.DeclarationAccepted), Ct));
    }

    private static async Task<(long EventId, long TeamId, long AccountId)> EventWithMemberAsync(NpgsqlDataSource db)
    {
        var events = new EventRepository(Database.OpenedOn(db));
        var dk = await events.CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        var team = await events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "A", Ct);
        var member = await new AccountRepository(Database.OpenedOn(db)).CreateAsync("piet", "Piet", false, false, team.Id, Ct);
        return (dk.Id, team.Id, member.Id);
    }
}
