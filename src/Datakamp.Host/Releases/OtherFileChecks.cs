using System.Text;
using System.Text.Json;
using Datakamp.Domain.Releases;

namespace Datakamp.Host.Releases;

/// <summary>
/// The automated checks of a file that is not a table with a spec: does it hold what its name says (magic bytes, valid
/// UTF-8, parseable JSON), and nothing that could carry data past a person who looks at it (scripts and external
/// references in an SVG, embedded files and scripts in a PDF). What passes these is <c>review</c>, never <c>pass</c>:
/// the host cannot recompute a figure or a text, so a person checks it. What fails them is <c>fail</c>.
/// </summary>
public static class OtherFileChecks
{
    private static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<FileCheckResult> CheckAsync(string name, string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var extension = name.EndsWith(".spec.yaml", StringComparison.Ordinal) ? ".spec.yaml" : Path.GetExtension(name);
        return extension switch
        {
            ".png" => bytes.AsSpan().StartsWith(PngMagic)
                ? FileCheckResult.Review("A figure: the host cannot recompute it. A checker looks at what it shows (and at the table behind it).")
                : FileCheckResult.Failed("This file is called .png but is not a PNG image."),
            ".pdf" => CheckPdf(bytes),
            ".svg" => CheckText(bytes, name, CheckSvg),
            ".json" => CheckText(bytes, name, CheckJson),
            ".csv" => CheckText(bytes, name, _ => FileCheckResult.Review(
                "A table without a spec: the host cannot recompute it, so a checker reviews it by hand. Write it with datakamp.table(...) to submit it with its spec.")),
            ".spec.yaml" => FileCheckResult.Failed("The spec could not be checked."),
            _ => CheckText(bytes, name, _ => FileCheckResult.Review("Text: a checker reads it for numbers about small groups or single persons.")),
        };
    }

    private static FileCheckResult CheckText(byte[] bytes, string name, Func<string, FileCheckResult> then)
    {
        string text;
        try { text = StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException e) { return FileCheckResult.Failed($"{name} is not valid UTF-8 text (byte {e.Index}); save it as UTF-8."); }
        return text.Contains('\0') ? FileCheckResult.Failed($"{name} contains NUL bytes: it is not a text file.") : then(text);
    }

    private static FileCheckResult CheckJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return FileCheckResult.Review("JSON: a checker reads it for numbers about small groups or single persons.");
        }
        catch (JsonException e)
        {
            return FileCheckResult.Failed($"Not valid JSON: {e.Message}");
        }
    }

    private static FileCheckResult CheckSvg(string text)
    {
        var lower = text.ToLowerInvariant();
        if (!lower.Contains("<svg", StringComparison.Ordinal)) return FileCheckResult.Failed("This file is called .svg but holds no <svg> element.");
        // A script, an embedded foreign document or a reference outside the file could show (or hide) other content
        // than the checker sees, or fetch something when the presentation is opened.
        foreach (var danger in new[] { "<script", "javascript:", "<foreignobject", "href=\"http", "href='http", "<!entity", "xlink:href=\"data:", "href=\"data:" })
            if (lower.Contains(danger, StringComparison.Ordinal))
                return FileCheckResult.Failed($"The SVG contains '{danger}': scripts, embedded documents and external references are not allowed in a released figure.");
        return FileCheckResult.Review("A figure: the host cannot recompute it. A checker looks at what it shows (and at the table behind it).");
    }

    private static FileCheckResult CheckPdf(byte[] bytes)
    {
        if (!bytes.AsSpan().StartsWith("%PDF-"u8)) return FileCheckResult.Failed("This file is called .pdf but is not a PDF document.");
        // Attachments and scripts would carry content past a checker who reads the pages.
        var latin = Encoding.Latin1.GetString(bytes);
        foreach (var danger in new[] { "/EmbeddedFile", "/JavaScript", "/JS", "/Launch", "/RichMedia" })
            if (latin.Contains(danger, StringComparison.Ordinal))
                return FileCheckResult.Failed($"The PDF contains {danger}: attachments, scripts and embedded media are not allowed in a released document.");
        return FileCheckResult.Review("A document: a checker reads every page.");
    }
}
