using Dapper;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Datasets;
using Datakamp.Host.Sandboxes;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Sandboxes;

/// <summary>Issue 14: a grant revoked or ended takes the data out of the running sandbox at the next reconciliation; the workspace stays.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SandboxGrantChangeTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Revoking_a_grant_removes_the_data_from_the_running_sandbox_within_one_reconciliation_and_keeps_the_workspace()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        var before = await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo mine > /workspace/notes.txt");
        Assert.Equal("person_id,income", (await harness.ExecAsync(harness.TeamA, "head", "-n", "1", "/data/persons.csv")).Output.Trim());
        var datasets = harness.Datasets;
        var persons = (await datasets.ListAsync(harness.Event.Id, Ct)).Single();

        await datasets.RevokeAsync(persons.Id, harness.TeamA.Id, new GrantRevocation(DateTimeOffset.UtcNow, "staff:test", "question answered"),
            GrantCalendar.Today(TimeProvider.System), Ct);
        Assert.Equal(0, await harness.Reconciler.ReconcileOnceAsync(Ct));

        await AssertDataGoneAndWorkspaceKeptAsync(harness, before.ContainerId);
        var grant = Assert.Single(await datasets.ListGrantsAsync(persons.Id, Ct));
        Assert.Equal(("staff:test", "question answered"), (grant.Revocation?.RevokedBy, grant.Revocation?.Reason));
    }

    [Fact]
    public async Task A_grant_that_ended_leaves_the_running_sandbox_at_the_next_reconciliation()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        var before = await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo mine > /workspace/notes.txt");

        // The grant's last day was yesterday: as if the host ran on past midnight.
        await using (var connection = await harness.Db.OpenConnectionAsync(Ct))
            await connection.ExecuteAsync("UPDATE dataset_grants SET ends_on = @yesterday WHERE team_id = @team",
                new { yesterday = GrantCalendar.Today(TimeProvider.System).AddDays(-1), team = harness.TeamA.Id });
        Assert.Equal(0, await harness.Reconciler.ReconcileOnceAsync(Ct));

        await AssertDataGoneAndWorkspaceKeptAsync(harness, before.ContainerId);
    }

    private static async Task AssertDataGoneAndWorkspaceKeptAsync(SandboxHarness harness, string? containerBefore)
    {
        var after = await harness.Manager.GetStatusAsync((await harness.SandboxRecords.FindAsync(harness.TeamA.Id, Ct))!, Ct);
        Assert.True(after.Running);
        Assert.NotEqual(containerBefore, after.ContainerId);
        Assert.NotEqual(0, (await harness.ExecAsync(harness.TeamA, "test", "-e", "/data/persons.csv")).ExitCode);
        Assert.Equal("mine", (await harness.ExecAsync(harness.TeamA, "cat", "/workspace/notes.txt")).Output.Trim());
        // The IDE is registered again for the new container.
        Assert.NotNull(harness.Registry.Find(harness.Event.Slug.Value, "a"));

        await using var connection = await harness.Db.OpenConnectionAsync(Ct);
        var audited = (await connection.QueryAsync<(string Actor, string Details)>(
            "SELECT actor, details FROM audit_events WHERE action = @action AND team_id = @team ORDER BY seq",
            new { action = AuditActions.SandboxRestarted, team = harness.TeamA.Id })).ToList();
        var entry = Assert.Single(audited);
        Assert.Equal(SandboxManager.DataAccessActor, entry.Actor);
        Assert.Equal("""{"reason":"data access changed","removed":["persons"],"added":[]}""", entry.Details);
    }
}
