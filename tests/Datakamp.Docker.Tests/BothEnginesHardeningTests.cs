using System.Text.Json.Nodes;
using Datakamp.TestSupport;

namespace Datakamp.Docker.Tests;

/// <summary>
/// The two implementations must create the same container from the same spec: the engine's own inspect JSON (read
/// straight from the socket, through neither client's models) is compared part by part.
/// </summary>
[Trait("Category", "Docker")]
public sealed class BothEnginesHardeningTests(DockerFixture docker, DockerDotNetFixture library)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const long SixtyFourMiB = 64L * 1024 * 1024;

    [Fact]
    public async Task A_container_created_through_either_client_has_the_same_hardening_in_its_inspect_output()
    {
        docker.Require();
        var workspace = TestEnvironment.CreateScratchDirectory("docker-workspace");
        var data = TestEnvironment.CreateScratchDirectory("docker-data");
        var runId = Guid.NewGuid().ToString("N")[..12];
        var created = new List<(IContainerEngine Engine, string Id)>();
        try
        {
            foreach (var (engine, name) in new (IContainerEngine, string)[] { (docker.Engine, "own"), (library.Engine, "dotnet") })
            {
                var spec = SandboxLikeSpec(workspace, data) with { Name = $"datakamp-test-{runId}-{name}" };
                var id = (await engine.CreateContainerAsync(spec, Ct)).Id;
                created.Add((engine, id));
                await engine.StartContainerAsync(id, Ct);
            }

            var own = await RawInspectAsync(created[0].Id);
            var dotnet = await RawInspectAsync(created[1].Id);

            foreach (var part in new[] { "HostConfig", "Mounts", "Config.User", "Config.Labels", "Config.Env", "Config.Cmd", "Config.WorkingDir", "NetworkSettings.Networks.none.IPAddress" })
            {
                var (ownPart, dotnetPart) = (At(own, part), At(dotnet, part));
                Assert.NotNull(ownPart);
                Assert.True(JsonNode.DeepEquals(ownPart, dotnetPart), $"{part} differs:\nown:    {ownPart?.ToJsonString()}\ndotnet: {dotnetPart?.ToJsonString()}");
            }
            // And the parts the sandbox relies on are really there (so the comparison is not of two empty objects).
            var host = own["HostConfig"]!;
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
            foreach (var (engine, id) in created)
                await engine.RemoveContainerAsync(id, force: true, removeVolumes: true, CancellationToken.None);
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

    private static async Task<JsonNode> RawInspectAsync(string id)
    {
        using var http = new HttpClient(UnixSocketHttpHandler.Create(new DockerEngineOptions().SocketPath));
        var json = await http.GetStringAsync($"http://localhost/v{new DockerEngineOptions().ApiVersion}/containers/{id}/json", Ct);
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
