namespace Datakamp.Docker;

/// <summary>
/// What the sandbox manager needs from whatever runs the teams' sandboxes: make one run as specified, stop or remove it,
/// find and list them, watch them change, read their outbox and their resource use. It is shaped around those needs,
/// not around Docker's verbs, so that another runtime (Kubernetes, with a pod per sandbox) can sit behind it later
/// without the host changing; <see cref="DockerSandboxRuntime"/> is the one on the Docker engine.
/// A sandbox is a <see cref="Workload"/>, found by the name its spec gives it.
/// Failures are the engine's three errors: <see cref="DockerEngineUnavailableException"/> when the runtime cannot be
/// reached, <see cref="DockerApiException"/> when it refuses, <see cref="DockerTimeoutException"/> when it does not
/// answer in time (for <see cref="DescribeAsync"/>: unavailable).
/// </summary>
public interface ISandboxRuntime
{
    /// <summary>Whether the runtime answers, and which one it is: for the health and start-up checks.</summary>
    Task<RuntimeDescription> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>Whether the image is on this machine (never pulls: a sandbox must not depend on a registry during an event).</summary>
    Task<bool> HasImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>The workload by name (or id), or null when there is none.</summary>
    Task<Workload?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Makes the workload named by <paramref name="spec"/> run as specified, doing only what differs: creates it when
    /// missing, replaces it when the value of its <paramref name="fingerprintLabel"/> differs from the spec's (the
    /// caller fingerprints what it wants; the runtime only compares), starts it when stopped. When the runtime refuses
    /// to start an existing one, it is replaced once from the same spec (after an engine restart Docker can keep a
    /// container it will never start again). <paramref name="beforeCreateOrStart"/> runs before any create or start,
    /// never when the workload already runs as specified, with the workload that was just removed as stale (if any):
    /// the caller prepares what the workload needs on the host there, or refuses by throwing.
    /// </summary>
    Task<EnsureRunningOutcome> EnsureRunningAsync(ContainerSpec spec, string fingerprintLabel,
        Func<Workload?, CancellationToken, Task> beforeCreateOrStart, CancellationToken cancellationToken);

    /// <summary>
    /// Stops the workload if it runs (its processes get <paramref name="gracePeriod"/> to end before they are killed);
    /// returns it as it is afterwards, or null when there is none.
    /// </summary>
    Task<Workload?> EnsureStoppedAsync(string name, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Removes the workload (name or id) whether it runs or not; one that is already gone is success.</summary>
    Task RemoveAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every workload, running or not, carrying all of these labels (<c>key</c> or <c>key=value</c>).</summary>
    Task<IReadOnlyList<Workload>> ListAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="lines"/> lines the workload wrote (stdout and stderr apart), at most <paramref name="maxBytes"/>: to say why it died.</summary>
    Task<ContainerOutput> LogsTailAsync(string name, int lines, int maxBytes, CancellationToken cancellationToken);

    /// <summary>One sample of the workload's CPU, memory and process counters (name or id).</summary>
    Task<ContainerResourceUsage> UsageAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// A tar of <paramref name="path"/> as the workload sees it, nothing in it followed; null when the workload or the
    /// path does not exist. <paramref name="timeout"/> covers reading the tar too. Pass only fixed paths, never one a
    /// team chose: the runtime resolves symlinks in the path itself. Dispose the result.
    /// </summary>
    Task<ContainerArchive?> ReadOutboxAsync(string name, string path, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Changes of the workloads carrying all of <paramref name="labels"/> as they happen (created, started, died,
    /// out of memory, removed), until cancelled; from <paramref name="since"/> when given (the runtime keeps a short history).
    /// </summary>
    IAsyncEnumerable<WorkloadChange> WatchAsync(IReadOnlyCollection<string> labels, DateTimeOffset? since, CancellationToken cancellationToken);
}
