namespace Datakamp.Host.Ide;

/// <summary>Which request and response headers cross the proxy, and which never do.</summary>
internal static class ProxiedHeaders
{
    /// <summary>Connection-level headers (RFC 9110 §7.6.1) are for one hop only.</summary>
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade",
    };

    /// <summary>
    /// Never forwarded to the IDE: Host, Origin and Referer are rewritten to what Jupyter expects
    /// (after the proxy checked Origin itself); Authorization is the proxy's to set (the team's token);
    /// WebSocket handshake headers belong to the browser's hop.
    /// </summary>
    private static readonly HashSet<string> ReplacedOnRequest = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Origin", "Referer", "Authorization", "Cookie",
        "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol",
    };

    public static bool ForwardOnRequest(string name) => !HopByHop.Contains(name) && !ReplacedOnRequest.Contains(name);

    public static bool ForwardOnResponse(string name) => !HopByHop.Contains(name);

    /// <summary>The browser's cookies minus the host's own (sign-in, antiforgery): Jupyter gets only its own.</summary>
    public static string? CookiesForIde(string? cookieHeader)
    {
        if (string.IsNullOrEmpty(cookieHeader)) return null;
        var kept = cookieHeader.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(cookie => !cookie.StartsWith(".Datakamp", StringComparison.Ordinal) && !cookie.StartsWith(".AspNetCore", StringComparison.Ordinal));
        var joined = string.Join("; ", kept);
        return joined.Length == 0 ? null : joined;
    }
}
