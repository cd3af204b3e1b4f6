namespace Datakamp.Docker;

/// <summary>
/// The Docker engine client, in Docker's verbs: only the calls we use. The host does not use it directly but through
/// <see cref="ISandboxRuntime"/> (<see cref="DockerSandboxRuntime"/>), the seam another runtime such as Kubernetes
/// would implement; tests use it to set up and look at containers. Implementations throw <see cref="DockerEngineUnavailableException"/>
/// when the engine cannot be reached, <see cref="DockerApiException"/> when it answers with an error, and
/// <see cref="DockerTimeoutException"/> when a call does not finish in time (ping and version: unavailable).
/// Container references are ids or names; anything else is rejected with <see cref="ArgumentException"/>.
/// </summary>
public interface IContainerEngine
{
    /// <summary>Asks the engine whether it is alive (<c>GET /_ping</c>).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>The engine's version and API version (<c>GET /version</c>).</summary>
    Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>A local image, or null if there is none by that reference (never pulls).</summary>
    Task<ImageInspect?> InspectImageAsync(string image, CancellationToken cancellationToken);

    /// <summary>Creates a container (not started). A missing image or a taken name is a <see cref="DockerApiException"/> (404, 409).</summary>
    Task<ContainerCreateResponse> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Starts a container; one that is already running is success.</summary>
    Task StartContainerAsync(string container, CancellationToken cancellationToken);

    /// <summary>The container's state and configuration, or null if there is no such container.</summary>
    Task<ContainerInspect?> InspectContainerAsync(string container, CancellationToken cancellationToken);

    /// <summary>
    /// SIGTERM (or the image's stop signal), then SIGKILL after <paramref name="gracePeriod"/>; a container that is
    /// not running is success. The call may take the grace period plus the request timeout.
    /// </summary>
    Task StopContainerAsync(string container, TimeSpan gracePeriod, CancellationToken cancellationToken);

    /// <summary>Sends a signal (e.g. <c>SIGKILL</c>, <c>SIGTERM</c>); a container that is not running is a <see cref="DockerApiException"/> (409).</summary>
    Task KillContainerAsync(string container, string signal, CancellationToken cancellationToken);

    /// <summary>Removes a container; one that is already gone or already being removed is success.</summary>
    Task RemoveContainerAsync(string container, bool force, bool removeVolumes, CancellationToken cancellationToken);

    /// <summary>Blocks until the container is not running (at once if it is not), for at most <paramref name="timeout"/>.</summary>
    Task<ContainerWaitResult> WaitContainerAsync(string container, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>The container's logs so far, stdout and stderr apart, capped at <see cref="LogsOptions.MaxBytes"/>.</summary>
    Task<ContainerOutput> GetContainerLogsAsync(string container, LogsOptions options, CancellationToken cancellationToken);

    /// <summary>All containers (running or not) carrying every one of these labels (<c>key</c> or <c>key=value</c>).</summary>
    Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken);

    /// <summary>Runs a command in a running container and collects its exit code and capped output.</summary>
    Task<ExecResult> ExecAsync(string container, ExecSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// A tar of <paramref name="path"/> as the container sees it. The engine resolves symlinks in the path itself
    /// (never pass a team-chosen path); inside the tar nothing is followed. Dispose the result.
    /// </summary>
    Task<ContainerArchive> GetArchiveAsync(string container, string path, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Engine events as they happen, until <see cref="EventFilter.Until"/> or cancellation.</summary>
    IAsyncEnumerable<EngineEvent> StreamEventsAsync(EventFilter filter, CancellationToken cancellationToken);

    /// <summary>One sample of a container's CPU, memory and pids counters (<c>stats?stream=false&amp;one-shot=true</c>).</summary>
    Task<ContainerResourceUsage> GetResourceUsageAsync(string container, CancellationToken cancellationToken);
}
