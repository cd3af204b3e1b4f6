using System.Net;
using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

/// <summary>Create, hardening echo, lifecycle idempotency, wait and logs against the real engine.</summary>
[Trait("Category", "Docker")]
public sealed class LiveLifecycleTests(DockerFixture docker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const long SixtyFourMiB = 64L * 1024 * 1024;

    [Fact]
    public async Task A_hardened_container_is_created_as_asked_and_inspect_echoes_every_flag()
    {
        docker.Require();
        var engine = docker.Engine;
        var data = TestEnvironment.CreateScratchDirectory("docker-data");
        await File.WriteAllTextAsync(Path.Combine(data, "d.csv"), "a,b\n1,2\n", Ct);
        await using var live = new LiveContainers(engine);
        try
        {
            var hostConfig = new HostConfig
            {
                NetworkMode = "none",
                Mounts = [new Mount { Type = "bind", Source = data, Target = "/data", ReadOnly = true, BindOptions = new BindOptions { NonRecursive = true } }],
                ReadonlyRootfs = true,
                Tmpfs = new Dictionary<string, string> { ["/tmp"] = "rw,noexec,nosuid,size=16m" },
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges:true"],
                PidsLimit = 64,
                Memory = SixtyFourMiB,
                MemorySwap = SixtyFourMiB,
                NanoCpus = 500_000_000,
                Init = true,
                IpcMode = "private",
                Ulimits = [new Ulimit("nofile", 1024, 1024)],
                LogConfig = new LogConfig("json-file", new Dictionary<string, string> { ["max-size"] = "1m", ["max-file"] = "2" }),
                RestartPolicy = new RestartPolicy("no"),
            };
            var id = await live.StartAsync(["sleep", "30"], spec => spec with
            {
                User = "65534:65534",
                WorkingDir = "/tmp",
                Env = ["DATAKAMP_TEAM=team-a"],
                Labels = new Dictionary<string, string> { ["datakamp.team"] = "team-a" },
            }, hostConfig);

            var inspect = await engine.InspectContainerAsync(id, Ct);

            Assert.NotNull(inspect);
            Assert.Equal("running", inspect.State.Status);
            Assert.True(inspect.State.Running);
            Assert.True(inspect.State.StartedAt > inspect.Created);
            Assert.Equal(DateTimeOffset.MinValue, inspect.State.FinishedAt);
            Assert.Equal("team-a", inspect.Config!.Labels!["datakamp.team"]);
            Assert.Equal("docker-client", inspect.Config.Labels[LiveContainers.TestLabel]);
            Assert.Equal("65534:65534", inspect.Config.User);
            Assert.Contains("DATAKAMP_TEAM=team-a", inspect.Config.Env!);
            var echo = inspect.HostConfig!;
            Assert.Equal("none", echo.NetworkMode);
            Assert.Equal(["ALL"], echo.CapDrop!);
            Assert.Equal(["no-new-privileges:true"], echo.SecurityOpt!);
            Assert.True(echo.ReadonlyRootfs);
            Assert.Equal(64, echo.PidsLimit);
            Assert.Equal(SixtyFourMiB, echo.Memory);
            Assert.Equal(SixtyFourMiB, echo.MemorySwap);
            Assert.Equal(500_000_000, echo.NanoCpus);
            Assert.True(echo.Init);
            Assert.Equal("private", echo.IpcMode);
            Assert.Equal("rw,noexec,nosuid,size=16m", echo.Tmpfs!["/tmp"]);
            Assert.Equal(new Ulimit("nofile", 1024, 1024), Assert.Single(echo.Ulimits!));
            Assert.Equal("1m", echo.LogConfig!.Config!["max-size"]);
            var mount = Assert.Single(echo.Mounts!);
            Assert.True(mount.ReadOnly);
            Assert.True(mount.BindOptions!.NonRecursive);
            Assert.Equal(["none"], inspect.NetworkSettings!.Networks!.Keys);
            Assert.False(Assert.Single(inspect.Mounts!).RW);

            // And the kernel agrees: no capabilities, no new privileges, read-only root, writable tmpfs, read-only data.
            var status = await ExecAsync(engine, id, "cat /proc/self/status");
            Assert.Contains("NoNewPrivs:\t1", status);
            Assert.Contains("CapEff:\t0000000000000000", status);
            Assert.Contains("Uid:\t65534", status);
            Assert.NotEqual(0, (await engine.ExecAsync(id, new ExecSpec { Cmd = ["touch", "/rootfs-write"] }, Ct)).ExitCode);
            Assert.NotEqual(0, (await engine.ExecAsync(id, new ExecSpec { Cmd = ["touch", "/data/x"] }, Ct)).ExitCode);
            Assert.Equal("a,b\n1,2\n", await ExecAsync(engine, id, "cat /data/d.csv"));
            Assert.Equal("ok\n", await ExecAsync(engine, id, "echo ok > /tmp/t && cat /tmp/t"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<string> ExecAsync(IContainerEngine engine, string id, string script)
    {
        var result = await engine.ExecAsync(id, new ExecSpec { Cmd = ["sh", "-c", script] }, Ct);
        Assert.True(result.ExitCode == 0, $"'{script}' exited {result.ExitCode}: {result.Output.StderrText}");
        return result.Output.StdoutText;
    }

    [Fact]
    public async Task Start_stop_and_remove_are_idempotent()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.CreateAsync(["sleep", "30"]);

        await engine.StartContainerAsync(id, Ct);
        await engine.StartContainerAsync(id, Ct);                        // 304: already started
        Assert.True((await engine.InspectContainerAsync(id, Ct))!.State.Running);

        await engine.StopContainerAsync(id, TimeSpan.FromSeconds(5), Ct);
        await engine.StopContainerAsync(id, TimeSpan.FromSeconds(5), Ct);   // 304: already stopped
        var stopped = (await engine.InspectContainerAsync(id, Ct))!.State;
        Assert.Equal("exited", stopped.Status);
        Assert.True(stopped.FinishedAt >= stopped.StartedAt);

        await engine.RemoveContainerAsync(id, force: false, removeVolumes: true, Ct);
        await engine.RemoveContainerAsync(id, force: false, removeVolumes: true, Ct);   // 404: already gone
        Assert.Null(await engine.InspectContainerAsync(id, Ct));
    }

    [Fact]
    public async Task Concurrent_force_removes_all_succeed_whichever_wins()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.StartAsync(["sleep", "30"]);

        // The losers see 409 "removal already in progress" or 404: both are success.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => engine.RemoveContainerAsync(id, force: true, removeVolumes: true, Ct)));

        Assert.Null(await engine.InspectContainerAsync(id, Ct));
    }

    [Fact]
    public async Task Kill_ends_a_running_container_wait_reports_the_signal_exit_and_a_second_kill_is_a_conflict()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.StartAsync(["sleep", "30"]);

        await engine.KillContainerAsync(id, "SIGKILL", Ct);
        var result = await engine.WaitContainerAsync(id, TimeSpan.FromSeconds(10), Ct);
        var again = await Assert.ThrowsAsync<DockerApiException>(() => engine.KillContainerAsync(id, "SIGKILL", Ct));

        Assert.Equal(137, result.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("is not running", again.EngineMessage);
    }

    [Fact]
    public async Task Wait_returns_the_exit_code_and_logs_keep_stdout_and_stderr_apart()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.StartAsync(["sh", "-c", "echo out1; echo err1 >&2; echo out2; exit 7"]);

        var result = await engine.WaitContainerAsync(id, TimeSpan.FromSeconds(20), Ct);
        var logs = await engine.GetContainerLogsAsync(id, new LogsOptions(), Ct);
        var capped = await engine.GetContainerLogsAsync(id, new LogsOptions { Stderr = false, MaxBytes = 6 }, Ct);
        var inspect = await engine.InspectContainerAsync(id, Ct);

        Assert.Equal(7, result.StatusCode);
        Assert.Equal(7, inspect!.State.ExitCode);
        Assert.False(inspect.State.OOMKilled);
        Assert.Equal("out1\nout2\n", logs.StdoutText);
        Assert.Equal("err1\n", logs.StderrText);
        Assert.False(logs.Truncated);
        Assert.Equal("out1\no", capped.StdoutText);
        Assert.True(capped.Truncated);
    }

    [Fact]
    public async Task Image_inspect_finds_the_local_base_image_and_not_a_missing_one_and_create_never_pulls()
    {
        docker.Require();
        var engine = docker.Engine;

        var image = await engine.InspectImageAsync(LiveContainers.Image, Ct);
        var missing = await engine.InspectImageAsync("datakamp/no-such-image:never", Ct);
        var create = await Assert.ThrowsAsync<DockerApiException>(() =>
            engine.CreateContainerAsync(new ContainerSpec { Image = "datakamp/no-such-image:never" }, Ct));

        Assert.NotNull(image);
        Assert.StartsWith("sha256:", image.Id);
        Assert.Contains(LiveContainers.Image, image.RepoTags!);
        Assert.Null(missing);
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
    }
}
