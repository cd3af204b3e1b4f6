using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;

namespace Datakamp.Docker;

/// <summary>
/// <see cref="ISandboxRuntime"/> on the Docker engine: a workload is a container, its name the container's name.
/// Every operation inspects first and acts only on the difference, so calling one twice, or from two places at once,
/// ends in the same state (the caller still serialises operations on one workload).
/// </summary>
public sealed class DockerSandboxRuntime(IContainerEngine engine) : ISandboxRuntime
{
    /// <summary>What a workload is removed with: force (a running one too), and its anonymous volumes (a sandbox has none worth keeping).</summary>
    private Task RemoveContainerAsync(string container, CancellationToken cancellationToken) =>
        engine.RemoveContainerAsync(container, force: true, removeVolumes: true, cancellationToken);

    public async Task<RuntimeDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        var version = await engine.GetVersionAsync(cancellationToken);
        return new RuntimeDescription("Docker engine", version.Version, version.ApiVersion);
    }

    public async Task<bool> HasImageAsync(string image, CancellationToken cancellationToken) =>
        await engine.InspectImageAsync(image, cancellationToken) is not null;

    public async Task<Workload?> FindAsync(string name, CancellationToken cancellationToken) =>
        await engine.InspectContainerAsync(name, cancellationToken) is { } inspect ? ToWorkload(inspect) : null;

    public async Task<EnsureRunningOutcome> EnsureRunningAsync(ContainerSpec spec, string fingerprintLabel,
        Func<Workload?, CancellationToken, Task> beforeCreateOrStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(beforeCreateOrStart);
        var name = spec.Name ?? throw new ArgumentException("a workload needs a name: it is found by it", nameof(spec));
        var fingerprint = spec.Labels?.GetValueOrDefault(fingerprintLabel)
            ?? throw new ArgumentException($"the spec has no '{fingerprintLabel}' label to compare", nameof(spec));

        var current = await FindAsync(name, cancellationToken);
        Workload? replaced = null;
        if (current is not null && current.Labels.GetValueOrDefault(fingerprintLabel) != fingerprint)
        {
            await RemoveContainerAsync(current.Id, cancellationToken);
            replaced = current;
            current = null;
        }
        if (current is { Running: true })
            return new EnsureRunningOutcome(current, null, null);

        await beforeCreateOrStart(replaced, cancellationToken);
        if (current is null)
        {
            try
            {
                await engine.CreateContainerAsync(spec, cancellationToken);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // Someone created it between our inspect and create (another process of the host): start theirs.
            }
        }
        var startRefusal = await StartOrReplaceAsync(spec, cancellationToken);
        var now = await FindAsync(name, cancellationToken)
            ?? throw new DockerApiException(HttpStatusCode.NotFound, "the container was removed while it was being started", $"inspect {name}");
        return new EnsureRunningOutcome(now, replaced, startRefusal);
    }

    /// <summary>
    /// Starts the container; when the engine refuses (e.g. "failed to start shim: ... file exists" after an engine
    /// restart), replaces it by a new one from the same spec and starts that. Nothing is lost that a stop would not
    /// lose anyway. A second refusal is thrown, not retried. Returns the first refusal's reason, or null.
    /// </summary>
    private async Task<string?> StartOrReplaceAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        string refusal;
        try
        {
            await engine.StartContainerAsync(spec.Name!, cancellationToken);
            return null;
        }
        catch (DockerApiException e)
        {
            refusal = e.EngineMessage;
        }
        await RemoveContainerAsync(spec.Name!, cancellationToken);
        await engine.CreateContainerAsync(spec, cancellationToken);
        await engine.StartContainerAsync(spec.Name!, cancellationToken);
        return refusal;
    }

    public async Task<Workload?> EnsureStoppedAsync(string name, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var current = await FindAsync(name, cancellationToken);
        if (current is not { Running: true }) return current;
        await engine.StopContainerAsync(name, gracePeriod, cancellationToken);
        return await FindAsync(name, cancellationToken);
    }

    public Task RemoveAsync(string name, CancellationToken cancellationToken) => RemoveContainerAsync(name, cancellationToken);

    /// <summary>Lists by label, then inspects each (the list answer has no exit code, OOM flag or mounts); one removed meanwhile is left out.</summary>
    public async Task<IReadOnlyList<Workload>> ListAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken)
    {
        var workloads = new List<Workload>();
        foreach (var container in await engine.ListContainersAsync(labels, cancellationToken))
            if (await FindAsync(container.Id, cancellationToken) is { } workload)
                workloads.Add(workload);
        return workloads;
    }

    public Task<ContainerOutput> LogsTailAsync(string name, int lines, int maxBytes, CancellationToken cancellationToken) =>
        engine.GetContainerLogsAsync(name, new LogsOptions { Tail = lines, MaxBytes = maxBytes }, cancellationToken);

    public Task<ContainerResourceUsage> UsageAsync(string name, CancellationToken cancellationToken) =>
        engine.GetResourceUsageAsync(name, cancellationToken);

    public async Task<ContainerArchive?> ReadOutboxAsync(string name, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await engine.GetArchiveAsync(name, path, timeout, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // The engine says 404 both for a missing container and for a missing path: to the caller both mean "no outbox".
            return null;
        }
    }

    public async IAsyncEnumerable<WorkloadChange> WatchAsync(IReadOnlyCollection<string> labels, DateTimeOffset? since,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = new EventFilter
        {
            Types = ["container"],
            Actions = [.. ChangeKinds.Keys],
            Labels = [.. labels],
            Since = since,
        };
        await foreach (var engineEvent in engine.StreamEventsAsync(filter, cancellationToken))
        {
            // The filter already keeps these actions; an engine that ignored it must not surface others.
            if (!ChangeKinds.TryGetValue(engineEvent.Action, out var kind)) continue;
            var attributes = engineEvent.Actor.Attributes;
            long? exitCode = kind == WorkloadChangeKind.Died
                && long.TryParse(attributes?.GetValueOrDefault("exitCode"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
            yield return new WorkloadChange(engineEvent.Actor.ID, attributes?.GetValueOrDefault("name") ?? "", kind, exitCode, engineEvent.At);
        }
    }

    /// <summary>The engine's container actions we pass on, and what each means for a workload.</summary>
    private static readonly Dictionary<string, WorkloadChangeKind> ChangeKinds = new(StringComparer.Ordinal)
    {
        ["create"] = WorkloadChangeKind.Created,
        ["start"] = WorkloadChangeKind.Started,
        ["die"] = WorkloadChangeKind.Died,
        ["oom"] = WorkloadChangeKind.OutOfMemory,
        ["destroy"] = WorkloadChangeKind.Removed,
    };

    private static Workload ToWorkload(ContainerInspect inspect) => new(
        inspect.Id,
        (inspect.Name ?? "").TrimStart('/'),
        inspect.State.Status,
        inspect.State.Running,
        inspect.State.ExitCode,
        inspect.State.OOMKilled,
        inspect.Config?.Labels ?? new Dictionary<string, string>(),
        [.. (inspect.Mounts ?? []).Select(mount => new WorkloadMount(mount.Source ?? "", mount.Destination ?? "", !mount.RW))]);
}
