using Datakamp.Data;
using System.Diagnostics;
using Datakamp.Data.Embedded;
using Datakamp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Datakamp.Data.Tests.Embedded;

/// <summary>Each test owns a fresh cluster folder; these are the real PostgreSQL programs, started and killed for real.</summary>
[Trait("Category", "Postgres")]
public sealed class EmbeddedPostgresClusterTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _root = Path.Combine(TestEnvironment.CreateScratchDirectory("cluster"), "postgres");

    // Durable like a real event's cluster: these tests kill servers and expect committed data to survive.
    private async Task<EmbeddedPostgresCluster> StartAsync()
    {
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        return await EmbeddedPostgresCluster.StartAsync(new EmbeddedPostgresOptions { RootDirectory = _root }, NullLogger.Instance, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task First_start_creates_a_cluster_that_accepts_password_connections()
    {
        await using var cluster = await StartAsync();

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal("datakamp", connection.Database);
        Assert.True(File.Exists(Path.Combine(cluster.SocketDirectory, $".s.PGSQL.{cluster.Port}")), "the server also listens on its unix socket");
    }

    [Fact]
    public async Task Password_file_is_readable_by_the_host_only()
    {
        await using var cluster = await StartAsync();

        var mode = File.GetUnixFileMode(Path.Combine(_root, "superuser.password"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task Restart_reuses_the_cluster_and_keeps_the_data()
    {
        await using (var first = await StartAsync())
        {
            await ExecuteAsync(first, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
        }

        await using var second = await StartAsync();
        Assert.Equal(42, await ScalarAsync(second, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task Start_after_a_killed_host_stops_the_orphaned_server_and_keeps_the_data()
    {
        var first = await StartAsync();
        await ExecuteAsync(first, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7)");
        var orphanPid = ReadPostmasterPid();
        first.AbandonLikeAKilledHost();

        await using var second = await StartAsync();

        Assert.Equal(7, await ScalarAsync(second, "SELECT v FROM kept"));
        Assert.NotEqual(orphanPid, ReadPostmasterPid());
        Assert.False(IsAlive(orphanPid), "the orphaned server was stopped");
    }

    [Fact]
    public async Task Start_after_the_server_was_killed_recovers_from_its_stale_pid_file()
    {
        var first = await StartAsync();
        await ExecuteAsync(first, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (9)");
        var pid = ReadPostmasterPid();
        Process.GetProcessById(pid).Kill();             // SIGKILL: no shutdown, pid file left behind
        await WaitUntilGoneAsync(pid);
        first.AbandonLikeAKilledHost();
        Assert.True(File.Exists(Path.Combine(_root, "data", "postmaster.pid")));

        await using var second = await StartAsync();

        Assert.Equal(9, await ScalarAsync(second, "SELECT v FROM kept"));
    }

    [Fact]
    public async Task Pid_file_naming_an_unrelated_live_process_is_replaced()
    {
        await using (await StartAsync()) { }
        // After a reboot the old pid may belong to some other program: here, this test process.
        await File.WriteAllTextAsync(Path.Combine(_root, "data", "postmaster.pid"), $"{Environment.ProcessId}\n{_root}/data\n", TestContext.Current.CancellationToken);

        await using var cluster = await StartAsync();

        Assert.Equal(1, await ScalarAsync(cluster, "SELECT 1"));
    }

    [Fact]
    public async Task A_second_host_on_the_same_folder_is_refused_with_a_clear_message()
    {
        await using var first = await StartAsync();

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(StartAsync);

        Assert.Contains("another Datakamp host already owns the embedded database", error.Message);
        Assert.Contains(_root, error.Message);
    }

    [Fact]
    public async Task Missing_server_programs_are_named_with_how_to_fix_it()
    {
        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() =>
            EmbeddedPostgresCluster.StartAsync(new EmbeddedPostgresOptions { RootDirectory = _root, BinDirectory = "/nonexistent/bin" },
                NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Contains("Database:PostgresBinDirectory '/nonexistent/bin' has no pg_ctl", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    private int ReadPostmasterPid() => int.Parse(File.ReadLines(Path.Combine(_root, "data", "postmaster.pid")).First());

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    private static async Task WaitUntilGoneAsync(int pid)
    {
        for (var i = 0; i < 100 && IsAlive(pid); i++) await Task.Delay(50);
    }

    private static async Task ExecuteAsync(EmbeddedPostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> ScalarAsync(EmbeddedPostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        // Stop anything a failed test left running before removing its folder.
        var pidFile = Path.Combine(_root, "data", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && IsAlive(pid)
            && File.ReadAllText($"/proc/{pid}/cmdline").Contains(_root))
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        }
        try { Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
