using Datakamp.Host.Startup;
using Datakamp.Releases;
using Microsoft.Net.Http.Headers;

namespace Datakamp.Host.Releases;

/// <summary>
/// Serves one stored output to a browser, safely: every byte is read and its SHA-256 verified before anything is
/// written, so altered content is never sent, not even its first bytes. The answer is typed from an allow-list (never
/// HTML, never sniffed) and locked down by a strict content security policy with a sandbox, so an SVG's script cannot
/// run even when the SVG is opened on its own. Content that no longer matches its hash is reported to staff (audit
/// trail and log) and answered with a page in words. Used by every page that shows a team's output.
/// </summary>
public static class StoredFileResponse
{
    /// <summary>
    /// Nothing may load or run: inline styles (an SVG's own) and images from the host or data: (a PNG, an SVG's embedded
    /// image) only; <c>sandbox</c> makes the document an opaque origin without scripts, forms or pop-ups.
    /// </summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox";

    /// <summary>
    /// The answer's Content-Type for a stored media type, or null for one the host does not serve. Text of every kind
    /// is plain text, so a browser never renders a team's markdown, CSV or JSON as a document.
    /// </summary>
    private static string? ContentTypeOf(string mediaType) => mediaType switch
    {
        "image/png" or "image/svg+xml" or "application/pdf" or "application/zip" => mediaType,
        "text/plain" or "text/markdown" or "text/csv" or "application/json" or "application/yaml" => "text/plain; charset=utf-8",
        _ => null,
    };

    /// <summary>
    /// Writes the stored file as the whole answer, shown in the browser (<paramref name="inline"/>) or downloaded. True
    /// when it was served; false when it was not (its media type is not served, or its content does not verify), in
    /// which case a page in words was written instead and nothing of the file.
    /// </summary>
    public static async Task<bool> WriteAsync(HttpContext context, string sha256, string name, string mediaType, bool inline,
        VerifiedContentReader.Subject subject, CancellationToken cancellationToken)
    {
        if (ContentTypeOf(mediaType) is null)
        {
            await ErrorPages.WritePageAsync(context, StatusCodes.Status415UnsupportedMediaType, "Not shown",
                $"The host does not serve files of the kind {mediaType}.");
            return false;
        }
        var bytes = await context.RequestServices.GetRequiredService<VerifiedContentReader>().ReadAsync(sha256, name, subject, cancellationToken);
        if (bytes is null)
        {
            await WriteNotServedAsync(context, $"The stored file {name} no longer matches its recorded SHA-256, so it was not served. Staff have been told.");
            return false;
        }
        await WriteVerifiedAsync(context, bytes, name, mediaType, inline, cancellationToken);
        return true;
    }

    /// <summary>The answer for content that did not verify: a page in words, nothing of the file.</summary>
    public static Task WriteNotServedAsync(HttpContext context, string words) =>
        ErrorPages.WritePageAsync(context, StatusCodes.Status500InternalServerError, "File not served", words);

    /// <summary>Writes bytes that the caller has verified already (a presentation file, a bundle it made) with the same headers.</summary>
    public static async Task WriteVerifiedAsync(HttpContext context, byte[] bytes, string name, string mediaType, bool inline, CancellationToken cancellationToken)
    {
        // Names come from the outbox rules; a name outside them would be a fault of the caller, never sent in a header.
        if (!OutboxNames.IsSafe(name)) throw new ArgumentException($"Not a safe file name: {OutboxNames.Display(name)}", nameof(name));
        var contentType = ContentTypeOf(mediaType) ?? throw new ArgumentException($"Not a media type the host serves: {mediaType}", nameof(mediaType));
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = bytes.Length;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment") { FileName = name }.ToString();
        response.Headers.CacheControl = "no-store";   // a checker's view of an unreleased output stays off disk caches
        await response.Body.WriteAsync(bytes, cancellationToken);
    }
}
