using System.Collections.Concurrent;
using Datakamp.Docker;

namespace Datakamp.Benchmarks.Sandboxes;

/// <summary>When the engine calls of one container began and ended (<see cref="Clock"/> milliseconds).</summary>
internal sealed class EngineTimes
{
    public double CreateBegin = double.NaN, CreateEnd = double.NaN, StartBegin = double.NaN, StartEnd = double.NaN;
    public int Inspects;
}

/// <summary>
/// The real engine client, passed through unchanged, noting when create and start of each container
/// began and ended: splits the manager's start into preparation, create, start and waiting for Jupyter.
/// </summary>
/// It adds one label of its own (<paramref name="benchmarkLabel"/>, after the manager has fingerprinted the spec),
/// so that every container of a run, Datakamp's and plain docker's alike, is found and removed by one label.
/// With <paramref name="inspectCacheMs"/> &gt; 0 (a what-if experiment, never the default) an inspect of a
/// started container is answered from the last real one while that is younger: shows what polling the
/// engine less often during the wait for Jupyter would gain.
internal sealed class TimingEngine(IContainerEngine inner, KeyValuePair<string, string> benchmarkLabel, int inspectCacheMs = 0) : IContainerEngine
{
    private readonly ConcurrentDictionary<string, EngineTimes> _times = new();
    private readonly ConcurrentDictionary<string, (double At, ContainerInspect? Inspect)> _lastInspect = new();

    public EngineTimes For(string containerName) => _times.GetOrAdd(containerName, _ => new EngineTimes());

    public void Clear()
    {
        _times.Clear();
        _lastInspect.Clear();
    }

    public IEnumerable<EngineTimes> All => _times.Values;

    public async Task<ContainerCreateResponse> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var times = For(spec.Name ?? "");
        times.CreateBegin = Clock.Now;
        var labelled = spec with { Labels = new Dictionary<string, string>(spec.Labels ?? new Dictionary<string, string>()) { [benchmarkLabel.Key] = benchmarkLabel.Value } };
        try { return await inner.CreateContainerAsync(labelled, cancellationToken); }
        finally { times.CreateEnd = Clock.Now; }
    }

    public async Task StartContainerAsync(string container, CancellationToken cancellationToken)
    {
        var times = For(container);
        _lastInspect.TryRemove(container, out _);     // what-if cache: only ever serve inspects taken after the start
        times.StartBegin = Clock.Now;
        try { await inner.StartContainerAsync(container, cancellationToken); }
        finally { times.StartEnd = Clock.Now; }
    }

    public async Task<ContainerInspect?> InspectContainerAsync(string container, CancellationToken cancellationToken)
    {
        var times = For(container);
        if (inspectCacheMs > 0 && !double.IsNaN(times.StartEnd) && _lastInspect.TryGetValue(container, out var last) && Clock.Now - last.At < inspectCacheMs)
            return last.Inspect;
        Interlocked.Increment(ref times.Inspects);
        var inspect = await inner.InspectContainerAsync(container, cancellationToken);
        _lastInspect[container] = (Clock.Now, inspect);
        return inspect;
    }

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);
    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) => inner.GetVersionAsync(cancellationToken);
    public Task<ImageInspect?> InspectImageAsync(string image, CancellationToken cancellationToken) => inner.InspectImageAsync(image, cancellationToken);
    public Task StopContainerAsync(string container, TimeSpan gracePeriod, CancellationToken cancellationToken) => inner.StopContainerAsync(container, gracePeriod, cancellationToken);
    public Task KillContainerAsync(string container, string signal, CancellationToken cancellationToken) => inner.KillContainerAsync(container, signal, cancellationToken);
    public Task RemoveContainerAsync(string container, bool force, bool removeVolumes, CancellationToken cancellationToken) => inner.RemoveContainerAsync(container, force, removeVolumes, cancellationToken);
    public Task<ContainerWaitResult> WaitContainerAsync(string container, TimeSpan timeout, CancellationToken cancellationToken) => inner.WaitContainerAsync(container, timeout, cancellationToken);
    public Task<ContainerOutput> GetContainerLogsAsync(string container, LogsOptions options, CancellationToken cancellationToken) => inner.GetContainerLogsAsync(container, options, cancellationToken);
    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken) => inner.ListContainersAsync(labels, cancellationToken);
    public Task<ExecResult> ExecAsync(string container, ExecSpec spec, CancellationToken cancellationToken) => inner.ExecAsync(container, spec, cancellationToken);
    public Task<ContainerArchive> GetArchiveAsync(string container, string path, TimeSpan timeout, CancellationToken cancellationToken) => inner.GetArchiveAsync(container, path, timeout, cancellationToken);
    public IAsyncEnumerable<EngineEvent> StreamEventsAsync(EventFilter filter, CancellationToken cancellationToken) => inner.StreamEventsAsync(filter, cancellationToken);
    public Task<ContainerResourceUsage> GetResourceUsageAsync(string container, CancellationToken cancellationToken) => inner.GetResourceUsageAsync(container, cancellationToken);
}
