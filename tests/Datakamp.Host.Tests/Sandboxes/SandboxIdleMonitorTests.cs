using Datakamp.Data;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Datakamp.Docker;
using Datakamp.Host.Ide;
using Datakamp.Host.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datakamp.Host.Tests.Sandboxes;

/// <summary>Issue #4 item 6: idle stop counts web traffic, kernels and CPU use as activity, not only web traffic.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SandboxIdleMonitorTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly ManualClock _clock = new();

    private SandboxIdleMonitor MonitorFor(SandboxHarness harness, IdeActivity web, int idleStopSeconds = 600)
    {
        harness.Options.IdleStopSeconds = idleStopSeconds;
        return new SandboxIdleMonitor(harness.Manager, harness.SandboxRecords, harness.Runtime, harness.Registry, harness.Connections, web, _clock,
            Microsoft.Extensions.Options.Options.Create(harness.Options), NullLogger<SandboxIdleMonitor>.Instance);
    }

    [Fact]
    public async Task A_sandbox_without_any_activity_is_stopped_after_the_idle_time_and_the_stop_is_audited()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        var monitor = MonitorFor(harness, new IdeActivity(_clock));
        await harness.Manager.StartAsync(harness.TeamA.Id, "team:a/piet", Ct);

        Assert.Empty(await monitor.CheckOnceAsync(Ct));        // first look: a grace period
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await monitor.CheckOnceAsync(Ct));        // idle, but not long enough
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal([harness.TeamA.Id], await monitor.CheckOnceAsync(Ct));

        Assert.False((await harness.Engine.InspectContainerAsync(await harness.ContainerNameAsync(harness.TeamA), Ct))!.State.Running);
        await using var connection = await harness.Db.OpenConnectionAsync(Ct);
        Assert.Equal("system:idle-stop", await connection.ExecuteScalarAsync<string>("SELECT actor FROM audit_events WHERE action = 'sandbox.stopped'"));
    }

    [Fact]
    public async Task Requests_through_the_ide_proxy_keep_a_sandbox_running()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        var web = new IdeActivity(_clock);
        var monitor = MonitorFor(harness, web);
        await harness.Manager.StartAsync(harness.TeamA.Id, "team:a/piet", Ct);
        await monitor.CheckOnceAsync(Ct);

        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(8));
            web.Touch(harness.Event.Slug.Value, "a");
            Assert.Empty(await monitor.CheckOnceAsync(Ct));
        }
    }

    [Fact]
    public async Task A_sandbox_that_computes_is_active_without_any_web_traffic_and_idle_once_it_stops()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        var monitor = MonitorFor(harness, new IdeActivity(_clock), idleStopSeconds: 1);
        await harness.Manager.StartAsync(harness.TeamA.Id, "team:a/piet", Ct);
        // A computation started from a terminal, with the browser closed: about 6 s of pure CPU, in the background.
        await harness.ExecAsync(harness.TeamA, "sh", "-c", "nohup sh -c 'end=$(($(date +%s)+6)); while [ $(date +%s) -lt $end ]; do :; done' >/dev/null 2>&1 &");
        await monitor.CheckOnceAsync(Ct);

        // Real seconds pass and the clock follows them, so CPU seconds are divided by the true interval.
        await PassAsync(TimeSpan.FromSeconds(2));
        Assert.Empty(await monitor.CheckOnceAsync(Ct));   // 2 s without traffic > 1 s limit, but it computes

        await PassAsync(TimeSpan.FromSeconds(6));          // the computation ends
        await monitor.CheckOnceAsync(Ct);
        await PassAsync(TimeSpan.FromSeconds(2));
        Assert.Equal([harness.TeamA.Id], await monitor.CheckOnceAsync(Ct));
    }

    private async Task PassAsync(TimeSpan time)
    {
        await Task.Delay(time, Ct);
        _clock.Advance(time);
    }

    [Fact]
    public async Task A_busy_kernel_keeps_a_sandbox_running_with_the_browser_closed()
    {
        await using var harness = await SandboxHarness.StartAsync(postgres, docker);
        var monitor = MonitorFor(harness, new IdeActivity(_clock));
        await harness.Manager.StartAsync(harness.TeamA.Id, "team:a/piet", Ct);
        var session = harness.Registry.Find(harness.Event.Slug.Value, "a")!;
        await using var busy = await BusyKernel.StartAsync(session, harness.Connections, "import time; time.sleep(600)");
        await monitor.CheckOnceAsync(Ct);

        _clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Empty(await monitor.CheckOnceAsync(Ct));
    }

    /// <summary>Starts a kernel in the sandbox's Jupyter and sends it code that keeps it busy (over the unix socket, as the proxy does).</summary>
    private sealed class BusyKernel(ClientWebSocket socket) : IAsyncDisposable
    {
        public static async Task<BusyKernel> StartAsync(IdeSession session, IdeConnections connections, string code)
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, $"http://localhost{session.BasePath}api/kernels") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            create.Headers.TryAddWithoutValidation("Authorization", $"token {session.Token}");
            using var created = await connections.For(session).SendAsync(create, Ct);
            var id = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!["id"]!.GetValue<string>();

            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", $"token {session.Token}");
            await socket.ConnectAsync(new Uri($"ws://localhost{session.BasePath}api/kernels/{id}/channels"), connections.For(session), Ct);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            // Jupyter watches kernel activity with its own iopub subscription, which connects a little after the
            // kernel starts and misses whatever was published before (ZeroMQ's slow joiner). Run warm-up cells
            // until Jupyter's kernel list shows it has seen one go idle: one cell is not always enough.
            do await ExecuteAsync(socket, "pass", waitFor: "idle", limit.Token);
            while (!await KernelListShowsAsync(session, connections, "idle", limit.Token));
            await ExecuteAsync(socket, code, waitFor: "busy", limit.Token);
            await WaitForKernelListAsync(session, connections, "busy", limit.Token);
            return new BusyKernel(socket);
        }

        /// <summary>Sends an execute_request and waits for this request's own status message (busy or idle).</summary>
        private static async Task ExecuteAsync(ClientWebSocket socket, string code, string waitFor, CancellationToken cancellationToken)
        {
            var msgId = Guid.NewGuid().ToString("N");
            var request = new JsonObject
            {
                ["header"] = new JsonObject { ["msg_id"] = msgId, ["username"] = "t", ["session"] = Guid.NewGuid().ToString("N"), ["msg_type"] = "execute_request", ["version"] = "5.3" },
                ["parent_header"] = new JsonObject(), ["metadata"] = new JsonObject(), ["channel"] = "shell", ["buffers"] = new JsonArray(),
                ["content"] = new JsonObject { ["code"] = code, ["silent"] = false, ["store_history"] = false, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false },
            };
            await socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                using var text = new MemoryStream();
                WebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer, cancellationToken);
                    text.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage);
                var message = JsonNode.Parse(text.ToArray())!;
                if (message["header"]?["msg_type"]?.GetValue<string>() == "status"
                    && message["parent_header"]?["msg_id"]?.GetValue<string>() == msgId
                    && message["content"]?["execution_state"]?.GetValue<string>() == waitFor) return;
            }
        }

        private static async Task WaitForKernelListAsync(IdeSession session, IdeConnections connections, string state, CancellationToken cancellationToken)
        {
            while (!await KernelListShowsAsync(session, connections, state, cancellationToken))
                await Task.Delay(100, cancellationToken);
        }

        /// <summary>True when Jupyter's kernel list shows a kernel in this state, checked a few times over half a second.</summary>
        private static async Task<bool> KernelListShowsAsync(IdeSession session, IdeConnections connections, string state, CancellationToken cancellationToken)
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                using var list = await connections.GetAsync(session, "api/kernels", TimeSpan.FromSeconds(30), cancellationToken);
                if (JsonNode.Parse(await list.Content.ReadAsStringAsync(cancellationToken))!.AsArray().Any(k => k!["execution_state"]?.GetValue<string>() == state)) return true;
                await Task.Delay(100, cancellationToken);
            }
            return false;
        }

        public ValueTask DisposeAsync()
        {
            socket.Abort();
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
