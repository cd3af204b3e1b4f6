namespace Datakamp.Host.Releases;

/// <summary>
/// Writes bytes of a released or submitted file that were already verified against their SHA-256, with headers that
/// keep a hostile file harmless in a browser: a media type from the host's own list (text is never served as HTML),
/// no sniffing, a Content-Security-Policy that lets nothing run or load (an SVG's script never executes, even opened on
/// its own), and no caching.
/// </summary>
public static class ReleasedFileResponse
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox";

    public static async Task WriteAsync(HttpContext context, byte[] bytes, string fileName, string mediaType, bool attachment, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = SafeContentType(mediaType);
        response.ContentLength = bytes.Length;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.CacheControl = "no-store";
        // Names are plain ASCII ([A-Za-z0-9._-], checked at intake), so they need no encoding here.
        response.Headers.ContentDisposition = $"{(attachment ? "attachment" : "inline")}; filename=\"{fileName}\"";
        await response.Body.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>The host's own media type for what it stored; anything textual is plain text, never markup.</summary>
    public static string SafeContentType(string mediaType) => mediaType switch
    {
        "image/png" or "image/svg+xml" or "application/pdf" or "application/zip" => mediaType,
        _ => "text/plain; charset=utf-8",
    };
}
