using System.Diagnostics;
using System.Net;
using Dapper;
using Datakamp.Docker;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Host.Tests.Sandboxes;

/// <summary>
/// Issue #4 acceptance: after the host is killed (SIGKILL), and after the Docker engine restarts, every
/// sandbox that should run runs again, its IDE answers through the proxy, and its workspace is intact.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SandboxRecoveryTests(PostgresFixture postgres, DockerFixture docker)
{
    /// <summary>Tests that restart dockerd run alone, after everything else (scripts/test runs them in a separate step).</summary>
    public const string EngineRestartCategory = "EngineRestart";

    [Fact]
    public async Task After_the_host_is_killed_the_next_host_brings_every_wanted_sandbox_back_with_its_workspace()
    {
        await using var run = await RunningDemoAsync();
        await run.StartSandboxesAsync();
        await run.Host.KillAsync();
        // While no host runs, one sandbox dies too.
        await docker.Engine.KillContainerAsync(await run.ContainerOfAsync("noord"), "SIGKILL", CancellationToken.None);

        await using var second = HostProcess.StartServe(run.Settings);
        await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        await run.AssertBothSandboxesServeTheirIdeAsync(second);
    }

    [Fact]
    [Trait("Category", EngineRestartCategory)]
    public async Task After_the_docker_engine_restarts_every_wanted_sandbox_runs_again_with_its_workspace()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "restarting dockerd needs root");
        await using var run = await RunningDemoAsync();
        await run.StartSandboxesAsync();

        await RestartDockerEngineAsync();

        await run.AssertBothSandboxesServeTheirIdeAsync(run.Host);
    }

    private async Task<DemoRun> RunningDemoAsync()
    {
        docker.Require();
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, CancellationToken.None) is null ? $"{SandboxHarness.Image} is not built" : null);
        var state = new ScratchStateDirectory();
        string[] settings = [state.Setting, "--Demo:Seed=true", "--Demo:Persons=300", "--Sandboxes:ReconcileIntervalSeconds=2", "--Sandboxes:MemoryMb=768"];
        var host = HostProcess.StartServe(settings);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return new DemoRun(state, host, settings, docker.Engine);
    }

    /// <summary>Stops dockerd the way a service manager would (SIGTERM) and starts it again with the project's set-up script.</summary>
    private static async Task RestartDockerEngineAsync()
    {
        var pid = int.Parse(File.ReadAllText("/var/run/docker.pid").Trim());
        using (var dockerd = Process.GetProcessById(pid))
        {
            using (var term = Process.Start("kill", ["-TERM", pid.ToString()])) await term.WaitForExitAsync();
            await dockerd.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        }
        var setup = Process.Start(new ProcessStartInfo("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "scripts", "setup")])
        {
            WorkingDirectory = TestEnvironment.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await setup.StandardOutput.ReadToEndAsync() + await setup.StandardError.ReadToEndAsync();
        await setup.WaitForExitAsync();
        Assert.True(setup.ExitCode == 0, $"scripts/setup could not start dockerd again: {output}");
    }

    private sealed class DemoRun(ScratchStateDirectory state, HostProcess host, string[] settings, DockerDotNetEngine engine) : IAsyncDisposable
    {
        private readonly Dictionary<string, HttpClient> _members = new();
        private readonly Dictionary<string, string> _containers = new();
        private string? _installation;

        public HostProcess Host { get; } = host;
        public string[] Settings { get; } = settings;

        public async Task StartSandboxesAsync()
        {
            foreach (var team in new[] { "noord", "zuid" })
            {
                var client = await MemberAsync(Host, team);
                var page = await client.GetStringAsync("/team");
                Assert.Contains("Start my sandbox", page);
                using var started = await DemoHost.PostFormAsync(client, "/team?handler=Start", new(), formPage: "/team");
                Assert.Contains("Your sandbox is running.", await started.Content.ReadAsStringAsync());
                await using (var connection = new NpgsqlConnection(state.ConnectionStringFor(Host)))
                {
                    _containers[team] = await connection.ExecuteScalarAsync<string>(
                        "SELECT s.container_name FROM sandboxes s JOIN teams t ON t.id = s.team_id WHERE t.slug = @team", new { team }) ?? "";
                    _installation = await connection.ExecuteScalarAsync<string>("SELECT id FROM installation");
                }
                Assert.Equal(0, (await engine.ExecAsync(await ContainerOfAsync(team), new ExecSpec { Cmd = ["sh", "-c", $"echo {team} > /workspace/kept.txt"] }, CancellationToken.None)).ExitCode);
            }
        }

        public async Task AssertBothSandboxesServeTheirIdeAsync(HostProcess current)
        {
            foreach (var team in new[] { "noord", "zuid" })
            {
                var client = await MemberAsync(current, team);
                var deadline = DateTime.UtcNow.AddSeconds(90);
                HttpStatusCode status;
                do
                {
                    using var response = await client.GetAsync($"/ide/demo/{team}/api/contents/kept.txt?content=1");
                    status = response.StatusCode;
                    if (status == HttpStatusCode.OK)
                    {
                        Assert.Contains($"\"content\": \"{team}\\n\"", (await response.Content.ReadAsStringAsync()).Replace("\"content\":\"", "\"content\": \""));
                        break;
                    }
                    await Task.Delay(500);
                }
                while (DateTime.UtcNow < deadline);
                Assert.Equal(HttpStatusCode.OK, status);
            }
        }

        public Task<string> ContainerOfAsync(string team) => Task.FromResult(_containers[team]);

        private async Task<HttpClient> MemberAsync(HostProcess current, string team)
        {
            var key = $"{current.Pid}/{team}";
            if (_members.TryGetValue(key, out var existing)) return existing;
            var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(current.BaseUrl) };
            var password = File.ReadLines(Path.Combine(state.Path, "demo", "accounts.txt")).Single(l => l.StartsWith($"{team}1 ")).Split("  ")[1];
            using var signIn = await DemoHost.PostFormAsync(client, "/signin", new() { ["username"] = $"{team}1", ["password"] = password });
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            await DemoHost.AcceptDeclarationAsync(client);
            return _members[key] = client;
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            if (_installation is not null)
            {
                foreach (var container in await engine.ListContainersAsync([$"datakamp.installation={_installation}"], CancellationToken.None))
                    await engine.RemoveContainerAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None);
            }
            foreach (var client in _members.Values) client.Dispose();
            state.Dispose();
        }
    }
}
