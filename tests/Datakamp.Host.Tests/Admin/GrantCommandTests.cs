using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Datasets;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Admin;

/// <summary>
/// Issue 14: <c>admin grant --until</c> and <c>admin revoke-grant</c>, run as the real executable against a migrated database.
/// Values are checked by the staff console's service, as on the web: a refusal names the option and exits 65.
/// </summary>
[Trait("Category", "Postgres")]
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
        var history = await world.Datasets.ListGrantsAsync(world.Persons.Id, Ct);
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

        Assert.Equal((65, $"datakamp: --until: {yesterday} is in the past (today is {today:yyyy-MM-dd})."), (past.Exit, past.Error));
        Assert.Equal((65, "datakamp: --until: Give the last day as YYYY-MM-DD, or none for a grant without end."), (notADate.Exit, notADate.Error));
        Assert.Equal((64, "datakamp: team 'noord' is of event 'other', not of 'dk': a team is only granted data of its own event"), (otherTeam.Exit, otherTeam.Error));
        Assert.Equal((64, "datakamp: dataset 'firms' is of event 'other', not of 'dk': a team is only granted data of its own event"), (otherDataset.Exit, otherDataset.Error));
        Assert.Equal((65, "datakamp: --team: Zuid holds no grant of persons in force."), (revokeNone.Exit, revokeNone.Error));
        Assert.Equal((64, "datakamp: --reason is required"), (revokeWithoutReason.Exit, revokeWithoutReason.Error));
        Assert.Empty(await world.Datasets.ListGrantsAsync(world.Persons.Id, Ct));
        Assert.Empty(await world.AuditAsync());
    }

    private Task<AdminWorld> WorldAsync() => AdminWorld.CreateAsync(postgres, "grantverbs");
}
