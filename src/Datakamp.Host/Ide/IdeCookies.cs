using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Datakamp.Host.Ide;

/// <summary>
/// Which cookies a team's IDE may set in the browser, and how. The IDE is served from the host's own
/// origin, so a cookie it sets is a cookie of the host: a team that swaps its Jupyter for a server of
/// its own could otherwise overwrite the host's sign-in or antiforgery cookies for everyone who opens
/// its IDE. Only Jupyter's own cookies pass, confined to the team's IDE path.
/// </summary>
internal static class IdeCookies
{
    /// <summary>Jupyter's cookies: the XSRF token and the login cookie (<c>username-&lt;host&gt;</c>).</summary>
    private const string Xsrf = "_xsrf";
    private const string Login = "username-";

    /// <summary>Names the host's own cookies start with (sign-in, antiforgery, anything ASP.NET Core sets).</summary>
    public static bool IsHostCookieName(string name) =>
        name.StartsWith(".Datakamp", StringComparison.OrdinalIgnoreCase) || name.StartsWith(".AspNetCore", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The <c>Set-Cookie</c> value to pass to the browser instead of <paramref name="setCookie"/>, or null to drop it.
    /// </summary>
    public static string? Rewrite(string setCookie, string idePath, bool secure)
    {
        if (!SetCookieHeaderValue.TryParse(setCookie, out var cookie)) return null;
        var name = cookie.Name.ToString();
        if (IsHostCookieName(name)) return null;
        if (!name.StartsWith(Xsrf, StringComparison.Ordinal) && !name.StartsWith(Login, StringComparison.Ordinal)) return null;
        // A Domain attribute would widen the cookie beyond this host name (to sibling hosts): never.
        if (!StringSegment.IsNullOrEmpty(cookie.Domain)) return null;

        var rewritten = new SetCookieHeaderValue(cookie.Name, cookie.Value)
        {
            Path = idePath,
            Expires = cookie.Expires,
            MaxAge = cookie.MaxAge,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Strict,
            Secure = secure,
            // Jupyter's JavaScript reads the XSRF token from its cookie to echo it in a header; the login cookie is for the server only.
            HttpOnly = !name.StartsWith(Xsrf, StringComparison.Ordinal),
        };
        return rewritten.ToString();
    }
}
