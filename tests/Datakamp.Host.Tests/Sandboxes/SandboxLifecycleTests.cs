using Dapper;
using Datakamp.Data.Repositories;
using Datakamp.Docker;
using Datakamp.Domain.Datasets;
using Datakamp.Host.Sandboxes;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Sandboxes;

/// <summary>Issue #4 items 6 and 9: start, stop, reset, the reconciler, and the faults a person must be told about.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SandboxLifecycleTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Jupyter_answers_with_the_python_kernel_once_start_returns()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);

        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);

        var session = harness.Registry.Find(harness.Event.Slug.Value, "a")!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://localhost{session.BasePath}api/kernelspecs");
        request.Headers.TryAddWithoutValidation("Authorization", $"token {session.Token}");
        using var response = await harness.Connections.For(session).SendAsync(request, Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("python3", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Stop_start_and_restart_keep_the_workspace_and_reset_gives_a_new_container_on_the_same_workspace()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        var first = await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo kept > /workspace/analysis.py");

        var stopped = await harness.Manager.StopAsync(harness.TeamA.Id, "staff:test", Ct);
        Assert.False(stopped.Running);
        Assert.Null(harness.Registry.Find(harness.Event.Slug.Value, "a"));
        var restarted = await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        Assert.Equal(first.ContainerId, restarted.ContainerId);
        Assert.Equal("kept", (await harness.ExecAsync(harness.TeamA, "cat", "/workspace/analysis.py")).Output.Trim());

        await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo gone > /tmp/scratch");
        var restartedAgain = await harness.Manager.RestartAsync(harness.TeamA.Id, "staff:test", Ct);
        Assert.True(restartedAgain.Running);
        Assert.Equal(first.ContainerId, restartedAgain.ContainerId);
        Assert.NotEqual(0, (await harness.ExecAsync(harness.TeamA, "cat", "/tmp/scratch")).ExitCode);   // tmpfs is new
        Assert.Equal("kept", (await harness.ExecAsync(harness.TeamA, "cat", "/workspace/analysis.py")).Output.Trim());

        var tokenBefore = harness.Registry.Find(harness.Event.Slug.Value, "a")!.Token;
        var reset = await harness.Manager.ResetAsync(harness.TeamA.Id, "staff:test", Ct);
        Assert.True(reset.Running);
        Assert.NotEqual(first.ContainerId, reset.ContainerId);
        Assert.NotEqual(tokenBefore, harness.Registry.Find(harness.Event.Slug.Value, "a")!.Token);
        Assert.Equal("kept", (await harness.ExecAsync(harness.TeamA, "cat", "/workspace/analysis.py")).Output.Trim());
    }

    [Fact]
    public async Task A_new_grant_replaces_the_container_at_the_next_reconciliation_and_keeps_the_workspace()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        var before = await harness.Manager.StartAsync(harness.TeamB.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamB, "sh", "-c", "echo mine > /workspace/notes.txt");
        var persons = (await harness.Datasets.ListAsync(harness.Event.Id, Ct)).Single();
        await harness.Datasets.GrantAsync(new(persons.Id, harness.TeamB.Id, "now B too", "staff:test", DateTimeOffset.UtcNow), GrantCalendar.Today(TimeProvider.System), Ct);

        Assert.Equal(0, await harness.Reconciler.ReconcileOnceAsync(Ct));

        var after = await harness.Manager.GetStatusAsync((await harness.SandboxRecords.FindAsync(harness.TeamB.Id, Ct))!, Ct);
        Assert.NotEqual(before.ContainerId, after.ContainerId);
        Assert.Equal("persons.csv", (await harness.ExecAsync(harness.TeamB, "ls", "/data")).Output.Trim());
        Assert.Equal("mine", (await harness.ExecAsync(harness.TeamB, "cat", "/workspace/notes.txt")).Output.Trim());
    }

    [Fact]
    public async Task The_reconciler_restarts_a_wanted_sandbox_that_was_killed_and_removes_orphans_of_its_installation()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo kept > /workspace/w.txt");
        var name = await harness.ContainerNameAsync(harness.TeamA);
        await harness.Engine.KillContainerAsync(name, "SIGKILL", Ct);
        var installation = await harness.Planner.InstallationAsync(Ct);
        var orphan = await harness.Engine.CreateContainerAsync(new ContainerSpec
        {
            Name = $"datakamp-{installation}-orphan-{Guid.NewGuid():N}"[..40], Image = "datakamp/base:bookworm", Cmd = ["sleep", "60"],
            Labels = new Dictionary<string, string> { [SandboxSpecBuilder.InstallationLabel] = installation },
            HostConfig = new HostConfig { NetworkMode = "none" },
        }, Ct);

        Assert.Equal(0, await harness.Reconciler.ReconcileOnceAsync(Ct));

        Assert.True((await harness.Engine.InspectContainerAsync(name, Ct))!.State.Running);
        Assert.Null(await harness.Engine.InspectContainerAsync(orphan.Id, Ct));
        Assert.Equal("kept", (await harness.ExecAsync(harness.TeamA, "cat", "/workspace/w.txt")).Output.Trim());
    }

    [Fact]
    public async Task A_container_the_engine_will_not_start_again_is_replaced_by_a_new_one_on_the_same_workspace()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo kept > /workspace/w.txt");
        var name = await harness.ContainerNameAsync(harness.TeamA);
        // After an engine restart, dockerd can keep a container that every start refuses. Stand in for it: a container
        // with the sandbox's name and plan label whose start the engine refuses (its program does not exist).
        var labels = (await harness.Engine.InspectContainerAsync(name, Ct))!.Config!.Labels!;
        await harness.Engine.RemoveContainerAsync(name, force: true, removeVolumes: true, Ct);
        var broken = await harness.Engine.CreateContainerAsync(new ContainerSpec
        {
            Name = name, Image = SandboxHarness.Image, Entrypoint = ["/no/such/program"], Labels = labels,
            HostConfig = new HostConfig { NetworkMode = "none" },
        }, Ct);
        await Assert.ThrowsAsync<DockerApiException>(() => harness.Engine.StartContainerAsync(name, Ct));

        Assert.Equal(0, await harness.Reconciler.ReconcileOnceAsync(Ct));

        var now = (await harness.Engine.InspectContainerAsync(name, Ct))!;
        Assert.True(now.State.Running);
        Assert.NotEqual(broken.Id, now.Id);
        Assert.Equal("none", now.HostConfig!.NetworkMode);
        Assert.Equal("kept", (await harness.ExecAsync(harness.TeamA, "cat", "/workspace/w.txt")).Output.Trim());
        Assert.Null((await harness.SandboxRecords.FindAsync(harness.TeamA.Id, Ct))!.LastError);
    }

    [Fact]
    public async Task An_unknown_image_is_a_clear_message_and_is_recorded_for_staff()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.SetEventImageAsync("datakamp/no-such-image:1");

        var error = await Assert.ThrowsAsync<SandboxException>(() => harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct));

        Assert.Equal("the analysis image 'datakamp/no-such-image:1' is not on this machine's Docker engine; build it with 'bash scripts/setup', or choose another image for the event.", error.Message);
        Assert.Equal(error.Message, (await harness.SandboxRecords.FindAsync(harness.TeamA.Id, Ct))!.LastError);
    }

    [Fact]
    public async Task A_missing_dataset_file_is_named_and_the_reconciler_goes_on_with_the_other_sandboxes()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamB.Id, "staff:test", Ct);
        File.Delete(harness.DataFile);

        var error = await Assert.ThrowsAsync<SandboxException>(() => harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct));
        await harness.Engine.StopContainerAsync(await harness.ContainerNameAsync(harness.TeamB), TimeSpan.Zero, Ct);

        Assert.Equal($"dataset 'persons': its microdata file {harness.DataFile} is missing on the host; restore it or revoke the grant.", error.Message);
        Assert.Equal(1, await harness.Reconciler.ReconcileOnceAsync(Ct));   // A still fails, B is running again
        Assert.True((await harness.Engine.InspectContainerAsync(await harness.ContainerNameAsync(harness.TeamB), Ct))!.State.Running);
    }

    [Fact]
    public async Task A_sandbox_whose_image_cannot_run_the_ide_is_reported_not_left_hanging()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.SetEventImageAsync("datakamp/base:bookworm");   // has no datakamp-notebook

        var error = await Assert.ThrowsAsync<SandboxException>(() => harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct));

        Assert.Contains("datakamp-notebook", error.Message);
    }

    [Fact]
    public async Task A_sandbox_killed_for_memory_at_start_is_reported_as_out_of_memory_with_its_limit()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        // An image like the analysis image whose entrypoint allocates 2 GiB at once (the sandbox has 768 MB).
        var context = Directory.CreateTempSubdirectory("dk-oom-").FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            "FROM datakamp/python:bookworm\nENTRYPOINT [\"python3\", \"-c\", \"x = bytearray(2 * 1024 ** 3); x[::4096] = b'1' * len(x[::4096])\"]\n", Ct);
        using (var build = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", ["build", "-q", "-t", "datakamp-test/oom:1", context]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await build.WaitForExitAsync(Ct);
            Assert.True(build.ExitCode == 0, await build.StandardError.ReadToEndAsync(Ct));
        }
        Directory.Delete(context, recursive: true);
        await harness.SetEventImageAsync("datakamp-test/oom:1");

        var error = await Assert.ThrowsAsync<SandboxException>(() => harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct));

        Assert.StartsWith($"the sandbox of {harness.Event.Slug}/a did not start: it ran out of memory (limit 768 MB)", error.Message);
    }

    [Fact]
    public async Task An_engine_that_is_down_is_a_clear_message_not_a_hang_or_a_crash()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        using var deadEngine = new DockerDotNetEngine(new DockerEngineOptions { SocketPath = "/run/datakamp-test-no-engine.sock" });
        var manager = harness.ManagerOn(new DockerSandboxRuntime(deadEngine));

        var error = await Assert.ThrowsAsync<SandboxException>(() => manager.StartAsync(harness.TeamA.Id, "staff:test", Ct));

        Assert.StartsWith("the Docker engine is not answering (Docker engine not answering on /run/datakamp-test-no-engine.sock: the socket file does not exist)", error.Message);
    }

    [Fact]
    public async Task Starting_and_stopping_are_recorded_in_the_audit_trail()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);

        await harness.Manager.StartAsync(harness.TeamA.Id, "team:a/piet", Ct);
        await harness.Manager.StopAsync(harness.TeamA.Id, "team:a/piet", Ct);

        await using var connection = await harness.Db.OpenConnectionAsync(Ct);
        var actions = (await connection.QueryAsync<string>("SELECT action || ' by ' || actor FROM audit_events WHERE team_id = @id ORDER BY seq", new { id = harness.TeamA.Id })).ToList();
        Assert.Equal(["sandbox.started by team:a/piet", "sandbox.stopped by team:a/piet"], actions);
    }
}
