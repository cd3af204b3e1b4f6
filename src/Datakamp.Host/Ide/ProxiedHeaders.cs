namespace Datakamp.Host.Ide;

/// <summary>What the team's Jupyter gets of the browser's request headers beyond what YARP copies.</summary>
internal static class ProxiedHeaders
{
    /// <summary>
    /// Never forwarded as the browser sent them: Origin and Referer name the host (the proxy checked
    /// Origin itself; Jupyter checks Host and would refuse the host's name), Authorization is the proxy's
    /// to set (the team's token), and Cookie carries the host's sign-in.
    /// </summary>
    public static readonly string[] ReplacedOnRequest = ["Origin", "Referer", "Authorization", "Cookie"];

    /// <summary>The browser's cookies minus the host's own (sign-in, antiforgery): Jupyter gets only its own.</summary>
    public static string? CookiesForIde(string? cookieHeader)
    {
        if (string.IsNullOrEmpty(cookieHeader)) return null;
        var kept = cookieHeader.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(cookie => !IdeCookies.IsHostCookieName(cookie));
        var joined = string.Join("; ", kept);
        return joined.Length == 0 ? null : joined;
    }
}
