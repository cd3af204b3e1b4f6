using Yarp.ReverseProxy.Forwarder;

namespace Datakamp.Host.Ide;

/// <summary>
/// How a request to a team's IDE and its answer are changed on the way through YARP. Towards Jupyter:
/// it sees itself addressed as <c>localhost</c> (Jupyter checks Host), with the team's token added by
/// the host and none of the host's cookies. Towards the browser: only Jupyter's own cookies, on the
/// team's IDE path, and the host's security headers instead of the team's (<see cref="IdeResponseHeaders"/>).
/// </summary>
internal sealed class IdeTransformer(IdeSession session) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        foreach (var name in ProxiedHeaders.ReplacedOnRequest) proxyRequest.Headers.Remove(name);

        proxyRequest.Headers.Host = "localhost";
        proxyRequest.Headers.TryAddWithoutValidation("Authorization", $"token {session.Token}");
        if (ProxiedHeaders.CookiesForIde(httpContext.Request.Headers.Cookie) is { } cookies) proxyRequest.Headers.TryAddWithoutValidation("Cookie", cookies);
        // Jupyter compares a Referer with its own Host for some API calls: give it one it accepts.
        if (!string.IsNullOrEmpty(httpContext.Request.Headers.Referer)) proxyRequest.Headers.TryAddWithoutValidation("Referer", $"http://localhost{session.BasePath}");
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null) IdeResponseHeaders.Apply(httpContext.Response, session.BasePath);
        return proceed;
    }

    /// <summary>Trailers are not passed on: Jupyter sends none, and a team's server has no business adding headers late.</summary>
    public override ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
