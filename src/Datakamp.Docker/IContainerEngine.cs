namespace Datakamp.Docker;

/// <summary>
/// The container runtime as the orchestrator sees it. Only the calls we use; a remote engine or
/// Kubernetes could implement this later. Implementations throw <see cref="DockerEngineUnavailableException"/>
/// when the engine cannot be reached and <see cref="DockerApiException"/> when it answers with an error.
/// </summary>
public interface IContainerEngine
{
    /// <summary>Asks the engine whether it is alive (<c>GET /_ping</c>).</summary>
    Task PingAsync(CancellationToken cancellationToken);

    /// <summary>The engine's version and API version (<c>GET /version</c>).</summary>
    Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken);
}
