using System.Formats.Tar;
using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

/// <summary>The sandbox runtime seam on the real engine: ensure, stop, remove, list, watch, usage and the outbox read.</summary>
[Trait("Category", "Docker")]
public sealed class DockerSandboxRuntimeTests(DockerFixture docker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The label the tests fingerprint their specs with (the host uses its own).</summary>
    private const string Fingerprint = "datakamp.test.fingerprint";

    private static readonly string[] Sleep = ["sleep", "60"];

    /// <summary>No init process: then a missing program makes the engine refuse the start itself (with init, init fails inside).</summary>
    private static readonly HostConfig WithoutInit = new() { NetworkMode = "none" };

    /// <summary>A test spec carrying <paramref name="fingerprint"/> under <see cref="Fingerprint"/>.</summary>
    private static ContainerSpec SpecOf(LiveContainers live, string fingerprint, IReadOnlyList<string>? cmd = null) =>
        live.Spec(cmd ?? Sleep, spec => spec with { Labels = new Dictionary<string, string> { [Fingerprint] = fingerprint } });

    /// <summary>Records each call of the runtime's before-create-or-start hook (with the workload it replaced).</summary>
    private sealed class Hook
    {
        public List<Workload?> Calls { get; } = [];

        public Task Run(Workload? replaced, CancellationToken cancellationToken)
        {
            Calls.Add(replaced);
            return Task.CompletedTask;
        }
    }

    private (DockerSandboxRuntime Runtime, LiveContainers Live) Start()
    {
        docker.Require();
        return (new DockerSandboxRuntime(docker.Engine), new LiveContainers(docker.Engine));
    }

    [Fact]
    public async Task Ensure_running_creates_and_starts_a_missing_workload_after_the_hook()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1");
        var hook = new Hook();

        var outcome = await runtime.EnsureRunningAsync(spec, Fingerprint, hook.Run, Ct);

        Assert.True(outcome.Workload.Running);
        Assert.Equal("running", outcome.Workload.Status);
        Assert.Equal(spec.Name, outcome.Workload.Name);
        Assert.Equal("v1", outcome.Workload.Labels[Fingerprint]);
        Assert.Null(outcome.Replaced);
        Assert.Null(outcome.StartRefusal);
        Assert.Null(Assert.Single(hook.Calls));
        Assert.Equal(outcome.Workload.Id, (await runtime.FindAsync(spec.Name!, Ct))!.Id);
    }

    [Fact]
    public async Task Ensure_running_again_with_the_same_spec_changes_nothing_and_skips_the_hook()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1");
        var first = await runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct);
        var hook = new Hook();

        var second = await runtime.EnsureRunningAsync(spec, Fingerprint, hook.Run, Ct);

        Assert.Equal(first.Workload.Id, second.Workload.Id);
        Assert.True(second.Workload.Running);
        Assert.Null(second.Replaced);
        Assert.Empty(hook.Calls);
    }

    [Fact]
    public async Task Ensure_running_with_a_changed_fingerprint_replaces_the_workload_and_reports_the_old_one()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1");
        var old = (await runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct)).Workload;
        var hook = new Hook();

        var outcome = await runtime.EnsureRunningAsync(spec with { Labels = new Dictionary<string, string>(spec.Labels!) { [Fingerprint] = "v2" } }, Fingerprint, hook.Run, Ct);

        Assert.NotEqual(old.Id, outcome.Workload.Id);
        Assert.Equal(spec.Name, outcome.Workload.Name);
        Assert.Equal("v2", outcome.Workload.Labels[Fingerprint]);
        Assert.True(outcome.Workload.Running);
        Assert.Equal(old.Id, outcome.Replaced!.Id);
        Assert.Equal("v1", outcome.Replaced.Labels[Fingerprint]);
        // The hook saw the replaced workload, after it was gone.
        Assert.Equal(old.Id, Assert.Single(hook.Calls)!.Id);
        Assert.Null(await runtime.FindAsync(old.Id, Ct));
    }

    [Fact]
    public async Task Ensure_running_starts_a_stopped_workload_keeping_it()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1");
        var first = (await runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct)).Workload;
        var stopped = await runtime.EnsureStoppedAsync(spec.Name!, TimeSpan.FromSeconds(1), Ct);
        var hook = new Hook();

        var outcome = await runtime.EnsureRunningAsync(spec, Fingerprint, hook.Run, Ct);

        Assert.False(stopped!.Running);
        Assert.Equal(first.Id, outcome.Workload.Id);
        Assert.True(outcome.Workload.Running);
        Assert.Null(outcome.Replaced);
        Assert.Null(Assert.Single(hook.Calls));
    }

    [Fact]
    public async Task Ensure_running_replaces_a_workload_the_engine_refuses_to_start_from_the_same_spec()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1");
        // The same name and fingerprint, but a container the engine cannot start (as one can be after an engine restart).
        var broken = await docker.Engine.CreateContainerAsync(spec with { Cmd = ["/no/such/program"], HostConfig = WithoutInit }, Ct);

        var outcome = await runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct);

        Assert.NotNull(outcome.StartRefusal);
        Assert.NotEqual(broken.Id, outcome.Workload.Id);
        Assert.True(outcome.Workload.Running);
        Assert.Null(outcome.Replaced);
    }

    [Fact]
    public async Task Ensure_running_reports_a_second_refusal_to_start()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1", ["/no/such/program"]) with { HostConfig = WithoutInit };

        await Assert.ThrowsAsync<DockerApiException>(() => runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct));
    }

    [Fact]
    public async Task A_hook_that_refuses_leaves_a_missing_workload_missing()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runtime.EnsureRunningAsync(spec, Fingerprint, (_, _) => throw new InvalidOperationException("not today"), Ct));

        Assert.Null(await runtime.FindAsync(spec.Name!, Ct));
    }

    [Fact]
    public async Task Ensure_stopped_stops_a_running_workload_once_and_is_null_for_a_missing_one()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1");
        var running = (await runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct)).Workload;

        var stopped = await runtime.EnsureStoppedAsync(spec.Name!, TimeSpan.FromSeconds(1), Ct);
        var again = await runtime.EnsureStoppedAsync(spec.Name!, TimeSpan.FromSeconds(1), Ct);
        var missing = await runtime.EnsureStoppedAsync($"{spec.Name}-missing", TimeSpan.FromSeconds(1), Ct);

        Assert.Equal(running.Id, stopped!.Id);
        Assert.False(stopped.Running);
        Assert.Equal("exited", stopped.Status);
        Assert.False(again!.Running);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Remove_takes_a_workload_away_and_removing_a_missing_one_is_success()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1");
        await runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct);

        await runtime.RemoveAsync(spec.Name!, Ct);
        await runtime.RemoveAsync(spec.Name!, Ct);

        Assert.Null(await runtime.FindAsync(spec.Name!, Ct));
    }

    [Fact]
    public async Task List_by_label_finds_exactly_our_workloads_with_their_state_and_mounts()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        await using var other = new LiveContainers(docker.Engine);
        var folder = TestEnvironment.CreateScratchDirectory("runtime-list");
        var running = SpecOf(live, "v1") with
        {
            HostConfig = new HostConfig { NetworkMode = "none", Init = true, Mounts = [new Mount { Type = "bind", Source = folder, Target = "/data", ReadOnly = true }] },
        };
        var stopped = SpecOf(live, "v1");
        await runtime.EnsureRunningAsync(running, Fingerprint, new Hook().Run, Ct);
        await runtime.EnsureRunningAsync(stopped, Fingerprint, new Hook().Run, Ct);
        await runtime.EnsureStoppedAsync(stopped.Name!, TimeSpan.FromSeconds(1), Ct);
        await runtime.EnsureRunningAsync(SpecOf(other, "v1"), Fingerprint, new Hook().Run, Ct);

        var ours = await runtime.ListAsync([$"{LiveContainers.RunLabel}={live.RunId}"], Ct);

        Assert.Equal([running.Name!, stopped.Name!], ours.Select(w => w.Name).Order(StringComparer.Ordinal));
        Assert.True(ours.Single(w => w.Name == running.Name).Running);
        Assert.Equal(new WorkloadMount(folder, "/data", ReadOnly: true), Assert.Single(ours.Single(w => w.Name == running.Name).Mounts));
        Assert.False(ours.Single(w => w.Name == stopped.Name).Running);
        Assert.Empty(await runtime.ListAsync([$"{LiveContainers.RunLabel}=no-such-run"], Ct));
    }

    [Fact]
    public async Task Watch_sees_a_workload_start_and_die_with_its_exit_code()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1", ["sh", "-c", "sleep 1; exit 3"]);
        var since = DateTimeOffset.UtcNow.AddSeconds(-2);   // replays the engine's recent history: no race with the start
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));

        var id = (await runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct)).Workload.Id;
        var seen = new List<WorkloadChange>();
        await foreach (var change in runtime.WatchAsync([$"{LiveContainers.RunLabel}={live.RunId}"], since, deadline.Token))
        {
            seen.Add(change);
            if (change.Kind == WorkloadChangeKind.Died) break;
        }

        Assert.Equal([WorkloadChangeKind.Created, WorkloadChangeKind.Started, WorkloadChangeKind.Died], seen.Select(c => c.Kind));
        Assert.All(seen, change => Assert.Equal(id, change.Id));
        Assert.All(seen, change => Assert.Equal(spec.Name, change.Name));
        Assert.Equal(3, seen[^1].ExitCode);
        Assert.Null(seen[1].ExitCode);
        Assert.False((await runtime.FindAsync(id, Ct))!.Running);
    }

    [Fact]
    public async Task Usage_and_the_outbox_read_of_a_running_workload_and_null_when_there_is_no_outbox()
    {
        var (runtime, live) = Start();
        await using var _ = live;
        var spec = SpecOf(live, "v1", ["sh", "-c", "mkdir -p /tmp/outbox && echo hello > /tmp/outbox/a.txt && touch /tmp/ready && sleep 60"]);
        var workload = (await runtime.EnsureRunningAsync(spec, Fingerprint, new Hook().Run, Ct)).Workload;
        var ready = await docker.Engine.ExecAsync(workload.Id, new ExecSpec { Cmd = ["sh", "-c", "for i in $(seq 50); do test -e /tmp/ready && exit 0; sleep 0.1; done; exit 1"] }, Ct);
        Assert.Equal(0, ready.ExitCode);

        var usage = await runtime.UsageAsync(workload.Id, Ct);
        var names = new List<string>();
        await using (var archive = await runtime.ReadOutboxAsync(spec.Name!, "/tmp/outbox", TimeSpan.FromSeconds(30), Ct))
        {
            Assert.NotNull(archive);
            Assert.True(archive.Stat.IsDirectory);
            using var tar = new TarReader(archive.Tar);
            while (await tar.GetNextEntryAsync(cancellationToken: Ct) is { } entry) names.Add(entry.Name);
        }

        Assert.True(usage.Pids > 0);
        Assert.True(usage.MemoryUsageBytes > 0);
        Assert.Contains("outbox/a.txt", names);
        Assert.Null(await runtime.ReadOutboxAsync(spec.Name!, "/tmp/no-outbox", TimeSpan.FromSeconds(30), Ct));
        Assert.Null(await runtime.ReadOutboxAsync($"{spec.Name}-missing", "/tmp/outbox", TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Describe_names_the_engine_and_its_version_and_has_image_never_pulls()
    {
        var (runtime, live) = Start();
        await using var _ = live;

        var description = await runtime.DescribeAsync(Ct);

        Assert.Equal("Docker engine", description.Kind);
        Assert.False(string.IsNullOrEmpty(description.Version));
        Assert.True(await runtime.HasImageAsync(LiveContainers.Image, Ct));
        Assert.False(await runtime.HasImageAsync("datakamp-test/never-built:1", Ct));
    }

    [Fact]
    public async Task Describe_of_an_engine_that_is_down_is_unavailable()
    {
        using var engine = new DockerDotNetEngine(new DockerEngineOptions { SocketPath = "/run/datakamp-test-no-engine.sock" });

        await Assert.ThrowsAsync<DockerEngineUnavailableException>(() => new DockerSandboxRuntime(engine).DescribeAsync(Ct));
    }
}
