using System.Net.Sockets;
using System.Text.Json.Nodes;
using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

/// <summary>
/// Moving from our own Engine API client to Docker.DotNet must not change a single isolation setting. Before the old
/// client was removed, a container created through it from the spec below was inspected, and the parts that carry the
/// hardening were kept in Golden/hardened-container-inspect.json (scratch paths replaced by {workspace} and {data}).
/// The same spec, created through the client the host uses now, must give the same inspect output, read as the engine's
/// own JSON straight from the socket (through no client's models).
/// </summary>
[Trait("Category", "Docker")]
public sealed class HardeningInspectTests(DockerFixture docker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const long SixtyFourMiB = 64L * 1024 * 1024;

    private static readonly string[] Parts =
        ["HostConfig", "Mounts", "Config.User", "Config.Labels", "Config.Env", "Config.Cmd", "Config.WorkingDir", "NetworkSettings.Networks.none.IPAddress"];

    [Fact]
    public async Task A_container_has_the_same_hardening_in_its_inspect_output_as_through_the_client_it_replaced()
    {
        docker.Require();
        var workspace = TestEnvironment.CreateScratchDirectory("docker-workspace");
        var data = TestEnvironment.CreateScratchDirectory("docker-data");
        var name = $"datakamp-test-{Guid.NewGuid().ToString("N")[..12]}-hardening";
        string? id = null;
        try
        {
            id = (await docker.Engine.CreateContainerAsync(SandboxLikeSpec(workspace, data) with { Name = name }, Ct)).Id;
            await docker.Engine.StartContainerAsync(id, Ct);

            var inspect = await RawInspectAsync(id);
            var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "hardened-container-inspect.json"))
                .Replace("{workspace}", workspace).Replace("{data}", data))!;

            foreach (var part in Parts)
            {
                var (before, now) = (golden[part], At(inspect, part));
                Assert.NotNull(before);
                Assert.True(JsonNode.DeepEquals(before, now), $"{part} differs:\nbefore: {before?.ToJsonString()}\nnow:    {now?.ToJsonString()}");
            }

            // And the parts the sandbox relies on are really there (so the comparison is not of two empty objects).
            var host = inspect["HostConfig"]!;
            Assert.Equal("none", (string?)host["NetworkMode"]);
            Assert.True((bool?)host["ReadonlyRootfs"]);
            Assert.Equal(["ALL"], host["CapDrop"]!.AsArray().Select(c => (string?)c));
            Assert.Equal(["no-new-privileges:true"], host["SecurityOpt"]!.AsArray().Select(c => (string?)c));
            Assert.Equal(64, (long?)host["PidsLimit"]);
            Assert.Equal(SixtyFourMiB, (long?)host["Memory"]);
            Assert.Equal(500_000_000, (long?)host["NanoCpus"]);
            Assert.Equal(2, host["Mounts"]!.AsArray().Count);
        }
        finally
        {
            if (id is not null) await docker.Engine.RemoveContainerAsync(id, force: true, removeVolumes: true, CancellationToken.None);
            Directory.Delete(workspace, recursive: true);
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The settings of SandboxSpecBuilder (src/Datakamp.Host/Sandboxes), with test folders and a test command.</summary>
    private static ContainerSpec SandboxLikeSpec(string workspace, string data) => new()
    {
        Image = LiveContainers.Image,
        Cmd = ["sleep", "30"],
        Env = ["DATAKAMP_OUTBOX=/outbox"],
        User = "65534:65534",
        WorkingDir = "/workspace",
        Labels = new Dictionary<string, string>
        {
            [LiveContainers.TestLabel] = LiveContainers.TestLabelValue,
            ["datakamp.event"] = "event-a",
            ["datakamp.team"] = "team-a",
        },
        HostConfig = new HostConfig
        {
            NetworkMode = "none",
            Mounts =
            [
                new Mount { Type = "bind", Source = workspace, Target = "/workspace", ReadOnly = false, BindOptions = new BindOptions { NonRecursive = true } },
                new Mount { Type = "bind", Source = data, Target = "/data", ReadOnly = true, BindOptions = new BindOptions { NonRecursive = true } },
            ],
            ReadonlyRootfs = true,
            Tmpfs = new Dictionary<string, string> { ["/tmp"] = $"rw,nosuid,nodev,size={SixtyFourMiB},mode=1777" },
            CapDrop = ["ALL"],
            SecurityOpt = ["no-new-privileges:true"],
            PidsLimit = 64,
            Memory = SixtyFourMiB,
            MemorySwap = SixtyFourMiB,
            NanoCpus = 500_000_000,
            Init = true,
            IpcMode = "private",
            Ulimits = [new Ulimit("nofile", 4096, 4096)],
            LogConfig = new LogConfig("json-file", new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" }),
            RestartPolicy = new RestartPolicy("no"),
        },
    };

    /// <summary>The engine's inspect JSON as it sent it: a plain HTTP client on the socket, no Engine API client in between.</summary>
    private static async Task<JsonNode> RawInspectAsync(string id)
    {
        var options = new DockerEngineOptions();
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(options.SocketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler);
        var json = await http.GetStringAsync($"http://localhost/v{options.ApiVersion}/containers/{id}/json", Ct);
        return JsonNode.Parse(json)!;
    }

    private static JsonNode? At(JsonNode root, string path)
    {
        var node = path.Split('.').Aggregate<string, JsonNode?>(root, (node, key) => node?[key]);
        // The engine lists the resolved mounts from a map, in no fixed order.
        return path == "Mounts" && node is JsonArray mounts
            ? new JsonArray([.. mounts.OrderBy(m => (string?)m!["Destination"], StringComparer.Ordinal).Select(m => m!.DeepClone())])
            : node;
    }
}
