namespace Datakamp.Docker;

/// <summary>No engine answered on the socket: missing, not started, or not ours to use.</summary>
public sealed class DockerEngineUnavailableException(string socketPath, string reason, Exception? inner = null)
    : Exception($"Docker engine not answering on {socketPath}: {reason}", inner)
{
    public string SocketPath { get; } = socketPath;
}
