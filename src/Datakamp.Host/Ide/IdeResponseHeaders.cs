namespace Datakamp.Host.Ide;

/// <summary>
/// Which response headers of a team's IDE reach the browser. The team controls what answers on its
/// socket, so every header that changes how the browser treats the host's origin as a whole
/// (security policies, site data, cross-origin rules, preloads) is dropped and the host sets its own.
/// </summary>
internal static class IdeResponseHeaders
{
    private static readonly HashSet<string> Dropped = new(StringComparer.OrdinalIgnoreCase)
    {
        // Hop-by-hop (RFC 9110 §7.6.1); YARP drops these too, listed so this rule does not depend on it.
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "TE", "Trailer", "Transfer-Encoding",
        // Policies for the whole origin, or that the host sets itself below.
        "Content-Security-Policy", "Content-Security-Policy-Report-Only", "Strict-Transport-Security", "Clear-Site-Data",
        "Set-Cookie2", "Permissions-Policy", "Feature-Policy", "Refresh", "Link", "Server-Timing", "Alt-Svc",
        "Public-Key-Pins", "Public-Key-Pins-Report-Only", "Report-To", "Reporting-Endpoints", "NEL", "Expect-CT",
        "X-Frame-Options", "X-Content-Type-Options", "X-XSS-Protection", "X-Permitted-Cross-Domain-Policies",
        "Referrer-Policy", "Origin-Agent-Cluster",
        // Would let a service worker the team serves under its IDE path control the host's whole origin.
        "Service-Worker-Allowed",
    };

    /// <summary>Families of headers dropped by prefix: CORS grants and cross-origin isolation.</summary>
    private static readonly string[] DroppedPrefixes = ["Access-Control-", "Cross-Origin-"];

    /// <summary>
    /// What Jupyter needs and no more: its scripts and styles from the same origin (its pages use inline
    /// styles and scripts, and some extensions eval), plots as data: and blob: images, kernels over the
    /// same origin's WebSocket; nothing loaded from or sent to any other origin, and no framing by other sites.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
        "frame-src 'self' data: blob:; media-src 'self' data: blob:; object-src 'none'; base-uri 'self'; " +
        "form-action 'self'; frame-ancestors 'self'";

    public static bool IsDropped(string name) =>
        Dropped.Contains(name) || DroppedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Filters the headers the IDE answered with (already copied to <paramref name="response"/>) and sets the host's own.</summary>
    public static void Apply(HttpResponse response, string idePath)
    {
        foreach (var name in response.Headers.Keys.Where(IsDropped).ToList()) response.Headers.Remove(name);

        var cookies = response.Headers.SetCookie.ToArray();
        response.Headers.Remove("Set-Cookie");
        var secure = response.HttpContext.Request.IsHttps;
        var kept = cookies.Select(cookie => IdeCookies.Rewrite(cookie!, idePath, secure)).OfType<string>().ToArray();
        if (kept.Length > 0) response.Headers.SetCookie = kept;

        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "SAMEORIGIN";
        response.Headers["Referrer-Policy"] = "same-origin";
    }
}
