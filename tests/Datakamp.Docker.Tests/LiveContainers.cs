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
    private int _names;

    public string RunId { get; } = Guid.NewGuid().ToString("N");

    public IContainerEngine Engine => engine;

    /// <summary>Creates (not starts) a container; <paramref name="configure"/> may change anything but the labels.</summary>
    public async Task<string> CreateAsync(IReadOnlyList<string> cmd, Func<ContainerSpec, ContainerSpec>? configure = null, HostConfig? hostConfig = null)
    {
        var created = await engine.CreateContainerAsync(Spec(cmd, configure, hostConfig), CancellationToken.None);
        _ids.Add(created.Id);
        return created.Id;
    }

    /// <summary>
    /// The spec of a new test container (a new name each call, this instance's labels), for tests that create it some
    /// other way, e.g. through <see cref="DockerSandboxRuntime"/>: dispose removes it too, by its labels.
    /// </summary>
    public ContainerSpec Spec(IReadOnlyList<string> cmd, Func<ContainerSpec, ContainerSpec>? configure = null, HostConfig? hostConfig = null)
    {
        var spec = new ContainerSpec
        {
            Name = $"datakamp-test-{RunId[..12]}-{Interlocked.Increment(ref _names)}",
            Image = Image,
            Cmd = cmd,
            HostConfig = hostConfig ?? new HostConfig { NetworkMode = "none", Init = true },
        };
        spec = configure?.Invoke(spec) ?? spec;
        return spec with
        {
            Labels = new Dictionary<string, string>(spec.Labels ?? new Dictionary<string, string>())
            {
                [TestLabel] = TestLabelValue,
                [RunLabel] = RunId,
            },
        };
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
        // Also those created from Spec by someone else, found by this instance's label.
        var labelled = await engine.ListContainersAsync([$"{RunLabel}={RunId}"], CancellationToken.None);
        var ids = _ids.Union(labelled.Select(container => container.Id)).ToList();
        foreach (var id in ids) await DumpAsync(id, TestContext.Current.TestOutputHelper);
        foreach (var id in ids)
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
