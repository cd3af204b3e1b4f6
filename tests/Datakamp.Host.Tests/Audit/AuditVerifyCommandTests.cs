using Dapper;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Host.Tests.Audit;

/// <summary><c>datakamp audit verify</c> as staff run it, next to a running host and after it stopped.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class AuditVerifyCommandTests(PostgresFixture postgres, DockerFixture docker)
{
    [Fact]
    public async Task Verify_reports_the_seeded_trail_intact_and_then_names_the_event_that_was_tampered_with()
    {
        docker.Require();
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        using var state = new ScratchStateDirectory();
        await using var host = HostProcess.StartServe(state.Setting, "--Demo:Seed=true", "--Demo:Persons=200");
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        // While the host owns the embedded cluster, the command connects to the running server.
        var (intactExit, intactOutput) = await RunVerifyAsync(state);
        Assert.Equal(0, intactExit);
        Assert.StartsWith("audit trail intact: 13 events; head 13 ", intactOutput.Single());

        await using (var connection = new NpgsqlConnection(state.ConnectionStringFor(host)))
        {
            // Someone with superuser rights rewrites who granted the data, bypassing the append-only triggers.
            await connection.ExecuteAsync("""
                ALTER TABLE audit_events DISABLE TRIGGER USER;
                UPDATE audit_events SET actor = 'staff:nobody' WHERE seq = 5;
                ALTER TABLE audit_events ENABLE TRIGGER USER;
                """);
        }

        var (brokenExit, brokenOutput) = await RunVerifyAsync(state);
        Assert.Equal(1, brokenExit);
        Assert.Equal(["audit trail BROKEN: 1 problems in 13 events", "  event 5 (dataset.granted by staff:nobody) was changed after it was written"], brokenOutput);

        // With the host stopped, the command starts the embedded cluster itself and stops it again.
        Assert.Equal(0, await host.StopAsync());
        var (stoppedExit, stoppedOutput) = await RunVerifyAsync(state);
        Assert.Equal(1, stoppedExit);
        Assert.Contains("  event 5 (dataset.granted by staff:nobody) was changed after it was written", stoppedOutput);
        Assert.Null(state.PostmasterPid());
    }

    [Fact]
    public async Task Verify_without_a_database_says_where_it_looked()
    {
        using var state = new ScratchStateDirectory();
        await using var verify = HostProcess.Start(["audit", "verify", state.Setting]);

        Assert.Equal(69, await verify.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith($"datakamp: no Datakamp database in {state.Path}/postgres", verify.StandardError.Single());
    }

    private static async Task<(int ExitCode, List<string> Output)> RunVerifyAsync(ScratchStateDirectory state)
    {
        await using var verify = HostProcess.Start(["audit", "verify", state.Setting]);
        var exit = await verify.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, verify.StandardOutput.Where(line => !line.StartsWith('{')).ToList());
    }
}
