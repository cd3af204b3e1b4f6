using System.Net;

namespace Datakamp.Docker;

/// <summary>The engine answered, with an error status. Carries the engine's own message.</summary>
public sealed class DockerApiException(HttpStatusCode statusCode, string engineMessage, string request)
    : Exception($"Docker engine refused {request}: {(int)statusCode} {engineMessage}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The <c>message</c> field of the engine's error body, or the raw body.</summary>
    public string EngineMessage { get; } = engineMessage;
}
