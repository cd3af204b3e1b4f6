using System.Net;
using Dapper;
using Datakamp.Data;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Host.Tests.Startup;

/// <summary>The real executable on its embedded defaults: start, stop, restart, SIGKILL.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class HostStartupTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(60);

    private void RequireRealParts()
    {
        docker.Require();
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
    }

    [Fact]
    public async Task Serving_on_embedded_defaults_becomes_ready_and_shows_the_seeded_demo_event()
    {
        RequireRealParts();
        using var state = new ScratchStateDirectory();
        await using var host = HostProcess.StartServe(state.Setting, "--Demo:Seed=true", "--Demo:Persons=2000");

        var tookToReady = await host.WaitUntilReadyAsync(ReadyWithin);
        TestContext.Current.SendDiagnosticMessage($"ready after {tookToReady.TotalSeconds:0.0} s");

        using var http = new HttpClient();
        var ready = await http.GetStringAsync($"{host.BaseUrl}/readyz", TestContext.Current.CancellationToken);
        Assert.Contains("\"database\":{\"status\":\"healthy\"", ready);
        Assert.Contains("\"docker\":{\"status\":\"healthy\"", ready);
        var home = await http.GetStringAsync($"{host.BaseUrl}/", TestContext.Current.CancellationToken);
        Assert.Contains("Team Noord", home);
        Assert.Contains("Team Zuid", home);
        Assert.Contains(host.StandardOutput, line => line == $"Datakamp is running at {host.BaseUrl}/");
        Assert.Equal(2001, File.ReadLines(Path.Combine(state.Path, "demo", "persons.csv")).Count());
    }

    [Fact]
    public async Task Stopping_and_starting_again_reuses_the_embedded_cluster_with_earlier_data_intact()
    {
        RequireRealParts();
        using var state = new ScratchStateDirectory();
        await using (var first = HostProcess.StartServe(state.Setting, "--Demo:Seed=true", "--Demo:Persons=500"))
        {
            await first.WaitUntilReadyAsync(ReadyWithin);
            await InsertMarkerAsync(state.ConnectionStringFor(first), "before-restart");
            Assert.Equal(0, await first.StopAsync());
        }
        Assert.Null(state.PostmasterPid());   // a clean stop removes the pid file: the server is down

        await using var second = HostProcess.StartServe(state.Setting, "--Demo:Seed=true", "--Demo:Persons=500");
        await second.WaitUntilReadyAsync(ReadyWithin);

        Assert.Equal(["before-restart"], await MarkersAsync(state.ConnectionStringFor(second)));
        Assert.Single(second.LogEntries("Demo event '{Event}' exists; keeping it"));
        Assert.Empty(second.LogEntries("Creating the embedded PostgreSQL cluster"));
    }

    [Fact]
    public async Task After_the_host_is_killed_the_next_start_takes_over_the_orphaned_server_with_data_intact()
    {
        RequireRealParts();
        using var state = new ScratchStateDirectory();
        var first = HostProcess.StartServe(state.Setting);
        await first.WaitUntilReadyAsync(ReadyWithin);
        await InsertMarkerAsync(state.ConnectionStringFor(first), "before-kill");
        var orphan = state.PostmasterPid()!.Value;

        await first.KillAsync();
        Assert.True(ScratchStateDirectory.IsAlive(orphan), "pg_ctl detaches the server, so it outlives a killed host");
        await using var second = HostProcess.StartServe(state.Setting);
        await second.WaitUntilReadyAsync(ReadyWithin);

        Assert.Equal(["before-kill"], await MarkersAsync(state.ConnectionStringFor(second)));
        Assert.False(ScratchStateDirectory.IsAlive(orphan), "the orphan was stopped and replaced by a server the new host owns");
        await first.DisposeAsync();
    }

    [Fact]
    public async Task After_host_and_server_are_both_killed_the_next_start_recovers_from_the_stale_pid_file()
    {
        RequireRealParts();
        using var state = new ScratchStateDirectory();
        var first = HostProcess.StartServe(state.Setting);
        await first.WaitUntilReadyAsync(ReadyWithin);
        await InsertMarkerAsync(state.ConnectionStringFor(first), "before-crash");
        var server = state.PostmasterPid()!.Value;

        await first.KillAsync();
        System.Diagnostics.Process.GetProcessById(server).Kill();
        for (var i = 0; i < 100 && ScratchStateDirectory.IsAlive(server); i++) await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.NotNull(state.PostmasterPid());   // the stale pid file is still there

        await using var second = HostProcess.StartServe(state.Setting);
        await second.WaitUntilReadyAsync(ReadyWithin);

        Assert.Equal(["before-crash"], await MarkersAsync(state.ConnectionStringFor(second)));
        await first.DisposeAsync();
    }

    [Fact]
    public async Task Two_hosts_started_at_the_same_moment_against_one_empty_database_migrate_exactly_once()
    {
        RequireRealParts();
        var connectionString = await postgres.CreateDatabaseAsync("twohosts");
        using var stateA = new ScratchStateDirectory();
        using var stateB = new ScratchStateDirectory();

        await using var a = HostProcess.StartServe(stateA.Setting, $"--Database:ConnectionString={connectionString}");
        await using var b = HostProcess.StartServe(stateB.Setting, $"--Database:ConnectionString={connectionString}");
        await Task.WhenAll(a.WaitUntilReadyAsync(ReadyWithin), b.WaitUntilReadyAsync(ReadyWithin));

        var appliedByEach = new[] { a, b }.Select(host =>
            host.LogEntries("Database schema is current").Single().GetProperty("State").GetProperty("Applied").GetInt32()).ToArray();
        Assert.Equal(Migration.Embedded.Count, appliedByEach.Sum());
        Assert.Contains(0, appliedByEach);   // one host did all the work, the other found nothing left
        await using var connection = new NpgsqlConnection(connectionString);
        Assert.Equal(Migration.Embedded.Count, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
    }

    private static async Task InsertMarkerAsync(string connectionString, string marker)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS test_markers (marker text); INSERT INTO test_markers VALUES (@marker)", new { marker });
    }

    private static async Task<List<string>> MarkersAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return (await connection.QueryAsync<string>("SELECT marker FROM test_markers")).AsList();
    }
}
