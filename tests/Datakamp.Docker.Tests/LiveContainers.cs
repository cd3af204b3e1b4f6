namespace Datakamp.Docker.Tests;

/// <summary>
/// Test containers on the real engine: every one labelled <c>datakamp.test=docker-client</c> plus a label unique to
/// this instance, without a network unless asked, and force-removed on dispose. Before removal, state and logs
/// of every container go to the test output (shown when a test fails).
/// </summary>
internal sealed class LiveContainers(IContainerEngine engine) : IAsyncDisposable
{
    public const string Image = "datakamp/base:bookworm";
    public const string TestLabel = "datakamp.test";
    public const string TestLabelValue = "docker-client";
    public const string RunLabel = "datakamp.test.run";

    private readonly List<string> _ids = [];

    public string RunId { get; } = Guid.NewGuid().ToString("N");

    public IContainerEngine Engine => engine;

    /// <summary>Creates (not starts) a container; <paramref name="configure"/> may change anything but the labels.</summary>
    public async Task<string> CreateAsync(IReadOnlyList<string> cmd, Func<ContainerSpec, ContainerSpec>? configure = null, HostConfig? hostConfig = null)
    {
        var spec = new ContainerSpec
        {
            Name = $"datakamp-test-{RunId[..12]}-{_ids.Count}",
            Image = Image,
            Cmd = cmd,
            HostConfig = hostConfig ?? new HostConfig { NetworkMode = "none", Init = true },
        };
        spec = configure?.Invoke(spec) ?? spec;
        spec = spec with
        {
            Labels = new Dictionary<string, string>(spec.Labels ?? new Dictionary<string, string>())
            {
                [TestLabel] = TestLabelValue,
                [RunLabel] = RunId,
            },
        };
        var created = await engine.CreateContainerAsync(spec, CancellationToken.None);
        _ids.Add(created.Id);
        return created.Id;
    }

    public async Task<string> StartAsync(IReadOnlyList<string> cmd, Func<ContainerSpec, ContainerSpec>? configure = null, HostConfig? hostConfig = null)
    {
        var id = await CreateAsync(cmd, configure, hostConfig);
        await engine.StartContainerAsync(id, CancellationToken.None);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        // The runner shows test output only for failed tests (or when asked): a free post-mortem.
        foreach (var id in _ids) await DumpAsync(id, TestContext.Current.TestOutputHelper);
        foreach (var id in _ids)
            await engine.RemoveContainerAsync(id, force: true, removeVolumes: true, CancellationToken.None);
    }

    private async Task DumpAsync(string id, ITestOutputHelper? output)
    {
        if (output is null) return;
        try
        {
            var inspect = await engine.InspectContainerAsync(id, CancellationToken.None);
            output.WriteLine($"container {id}: {inspect?.State}");
            if (inspect is null) return;
            var logs = await engine.GetContainerLogsAsync(id, new LogsOptions { Tail = 50 }, CancellationToken.None);
            output.WriteLine($"stdout: {logs.StdoutText}");
            output.WriteLine($"stderr: {logs.StderrText}");
        }
        catch (Exception e)
        {
            output.WriteLine($"container {id}: could not dump ({e.Message})");
        }
    }
}
