using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

/// <summary>Events, list by label, stats and the cgroup reader against the real engine.</summary>
[Trait("Category", "Docker")]
public sealed class LiveEventsListStatsTests(DockerFixture docker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_event_stream_shows_the_start_of_a_container_we_started()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        var id = await live.CreateAsync(["sleep", "30"]);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        var filter = new EventFilter
        {
            Types = ["container"],
            Labels = [$"{LiveContainers.RunLabel}={live.RunId}"],
            Since = DateTimeOffset.UtcNow.AddSeconds(-5),   // replays from the engine's recent history: no race with the start
        };

        var seen = new List<EngineEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in engine.StreamEventsAsync(filter, deadline.Token))
            {
                seen.Add(e);
                if (e.Action == "start") return e;
            }
            return null;
        }, Ct);
        await engine.StartContainerAsync(id, Ct);
        var start = await watching;

        Assert.NotNull(start);
        Assert.Equal("container", start.Type);
        Assert.Equal(id, start.Actor.ID);
        Assert.Equal(live.RunId, start.Actor.Attributes![LiveContainers.RunLabel]);
        Assert.Equal("create", seen[0].Action);
        Assert.InRange(start.At, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task List_by_label_finds_exactly_our_containers_running_or_not()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        await using var other = new LiveContainers(engine);
        var created = await live.CreateAsync(["sleep", "30"]);
        var running = await live.StartAsync(["sleep", "30"]);
        await other.CreateAsync(["sleep", "30"]);

        var ours = await engine.ListContainersAsync([$"{LiveContainers.TestLabel}={LiveContainers.TestLabelValue}", $"{LiveContainers.RunLabel}={live.RunId}"], Ct);
        var none = await engine.ListContainersAsync([$"{LiveContainers.RunLabel}=no-such-run"], Ct);

        Assert.Equal(new[] { created, running }.Order(), ours.Select(c => c.Id).Order());
        Assert.Equal("created", ours.Single(c => c.Id == created).State);
        Assert.Equal("running", ours.Single(c => c.Id == running).State);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Stats_and_the_cgroup_reader_give_plausible_numbers_for_a_running_container()
    {
        docker.Require();
        var engine = docker.Engine;
        await using var live = new LiveContainers(engine);
        const long limit = 64L * 1024 * 1024;
        var id = await live.StartAsync(["sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 30"],
            hostConfig: new HostConfig { NetworkMode = "none", Init = true, Memory = limit, MemorySwap = limit, PidsLimit = 32 });
        await Task.Delay(300, Ct);

        var stats = await engine.GetResourceUsageAsync(id, Ct);
        var cgroup = new CgroupV1UsageReader().Read(id);

        foreach (var usage in new[] { stats, cgroup })
        {
            Assert.NotNull(usage);
            Assert.InRange(usage.CpuUsageNanoseconds, 1_000_000, 60_000_000_000);   // the busy loop took some ms
            Assert.InRange(usage.MemoryUsageBytes, 4096, limit);
            Assert.Equal(limit, usage.MemoryLimitBytes);
            Assert.InRange(usage.Pids, 2, 32);                                      // init, sh (and sleep)
            Assert.InRange(usage.ReadAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        }
        Assert.Equal(32, cgroup!.PidsLimit);

        await engine.KillContainerAsync(id, "SIGKILL", Ct);
        await engine.WaitContainerAsync(id, TimeSpan.FromSeconds(10), Ct);
        Assert.Null(new CgroupV1UsageReader().Read(id));                            // no cgroup once stopped
    }
}
