namespace Datakamp.Docker;

/// <summary>An Engine API call (including the reading of its streamed body) did not finish within its timeout.</summary>
public sealed class DockerTimeoutException(string request, TimeSpan timeout, Exception? inner = null)
    : TimeoutException($"Docker engine did not finish {request} within {timeout.TotalSeconds:0.###} s", inner)
{
    public string Request { get; } = request;

    public TimeSpan Timeout { get; } = timeout;
}
