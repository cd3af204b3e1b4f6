namespace Datakamp.Docker;

/// <summary>Where the Docker engine listens and which Engine API version we speak.</summary>
public sealed class DockerEngineOptions
{
    /// <summary>The engine's unix socket. Debian's docker.io listens here by default.</summary>
    public string SocketPath { get; set; } = "/var/run/docker.sock";

    /// <summary>
    /// Engine API version in request paths. 1.41 is what Debian bookworm's docker.io 20.10 speaks;
    /// newer engines still answer older versions, so pinning keeps request shapes stable.
    /// </summary>
    public string ApiVersion { get; set; } = "1.41";

    /// <summary>Timeout for one ordinary API call (not for streaming calls such as wait or logs).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
