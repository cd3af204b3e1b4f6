using System.Net;
using System.Net.Sockets;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Sandboxes;

/// <summary>
/// Issue #4 item 4: each isolation property of a team sandbox, asserted against the real engine's
/// inspect output and from inside the running container. Never by sending traffic off this machine.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SandboxIsolationTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_started_sandbox_has_every_hardening_setting_in_the_engines_own_inspect()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);

        var status = await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);

        Assert.True(status.Running);
        var inspect = (await harness.Engine.InspectContainerAsync(await harness.ContainerNameAsync(harness.TeamA), Ct))!;
        var host = inspect.HostConfig!;
        Assert.Equal("none", host.NetworkMode);
        Assert.True(host.ReadonlyRootfs);
        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Contains("no-new-privileges:true", host.SecurityOpt!);
        var teamUid = 47000 + harness.TeamA.Id;      // each team its own uid and gid
        Assert.Equal($"{teamUid}:{teamUid}", inspect.Config!.User);
        Assert.Equal(256, host.PidsLimit);
        Assert.Equal(768L * 1024 * 1024, host.Memory);
        Assert.Equal(host.Memory, host.MemorySwap);
        Assert.Equal(500_000_000, host.NanoCpus);
        Assert.True(host.Init);
        Assert.StartsWith("rw,nosuid,nodev,size=67108864", host.Tmpfs!["/tmp"]);
        Assert.Equal(harness.Event.Slug.Value, inspect.Config.Labels!["datakamp.event"]);
        Assert.Equal("a", inspect.Config.Labels["datakamp.team"]);
        var data = Assert.Single(inspect.Mounts!, m => m.Destination == "/data/persons.csv");
        Assert.False(data.RW);
        Assert.True(inspect.Mounts!.Single(m => m.Destination == "/workspace").RW);
        Assert.True(inspect.Mounts!.Single(m => m.Destination == "/outbox").RW);
    }

    [Fact]
    public async Task Inside_a_sandbox_there_is_only_loopback_no_route_a_read_only_root_and_a_non_root_user()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);

        Assert.Equal("lo", (await harness.ExecAsync(harness.TeamA, "ls", "/sys/class/net")).Output.Trim());
        var routes = (await harness.ExecAsync(harness.TeamA, "cat", "/proc/net/route")).Output.Trim().Split('\n');
        Assert.Single(routes);   // the header line only: no route anywhere
        Assert.Equal($"{47000 + harness.TeamA.Id}", (await harness.ExecAsync(harness.TeamA, "id", "-u")).Output.Trim());
        Assert.Contains("Read-only file system", (await harness.ExecAsync(harness.TeamA, "touch", "/etc/x")).Output);
        Assert.Contains("Read-only file system", (await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo x >> /data/persons.csv")).Output);
        Assert.Equal(0, (await harness.ExecAsync(harness.TeamA, "touch", "/workspace/ok", "/outbox/ok", "/tmp/ok")).ExitCode);
        Assert.Contains("CapEff:\t0000000000000000", (await harness.ExecAsync(harness.TeamA, "grep", "CapEff", "/proc/self/status")).Output);
        Assert.Contains("NoNewPrivs:\t1", (await harness.ExecAsync(harness.TeamA, "grep", "NoNewPrivs", "/proc/self/status")).Output);
    }

    [Fact]
    public async Task A_sandbox_cannot_reach_a_listener_on_the_hosts_loopback()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var attempt = await harness.ExecAsync(harness.TeamA, "python3", "-c",
            $"import socket\ntry:\n socket.create_connection(('127.0.0.1', {port}), timeout=3); print('CONNECTED')\nexcept OSError as e:\n print('REFUSED', e)");

        Assert.StartsWith("REFUSED", attempt.Output.Trim());
        Assert.False(listener.Pending(), "no connection reached the host's listener");
    }

    [Fact]
    public async Task Team_B_sees_neither_team_As_data_grant_nor_its_workspace()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
        await harness.Manager.StartAsync(harness.TeamB.Id, "staff:test", Ct);
        await harness.ExecAsync(harness.TeamA, "sh", "-c", "echo secret > /workspace/a-only.txt");

        Assert.Equal("persons.csv", (await harness.ExecAsync(harness.TeamA, "ls", "/data")).Output.Trim());
        Assert.NotEqual(0, (await harness.ExecAsync(harness.TeamB, "ls", "/data/persons.csv")).ExitCode);
        Assert.Equal("", (await harness.ExecAsync(harness.TeamB, "ls", "/workspace")).Output.Trim());
        var mountsOfB = (await harness.Engine.InspectContainerAsync(await harness.ContainerNameAsync(harness.TeamB), Ct))!.Mounts!;
        Assert.DoesNotContain(mountsOfB, m => m.Source!.Contains($"/{harness.Event.Slug}/a/"));
    }
}
