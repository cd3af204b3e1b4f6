using System.Text;
using System.Text.Json;
using System.Xml;
using Datakamp.Domain.Releases;

namespace Datakamp.Releases;

/// <summary>
/// The automated checks of a file that is not a table with a spec: does it hold what its name says (signature, valid
/// UTF-8, parseable JSON or SVG), is it small enough for a person to read, and does it hold nothing that could carry
/// content past a person who looks at it (scripts, event handlers and external references in an SVG; attachments and
/// scripts in a PDF). What passes these is <c>review</c>, never <c>pass</c>: the host cannot recompute a figure or a
/// text, so a checker does. What fails them is <c>fail</c>, with the reason.
/// </summary>
public static class OtherFileChecks
{
    /// <summary>Text a checker must read in full: at most this many bytes (about 30 pages).</summary>
    public const int MaxTextBytes = 100_000;

    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private const string FigureReview = "A figure: the host cannot recompute it. A checker looks at what it shows (and at the table behind it).";

    public static async Task<FileCheckResult> CheckAsync(string name, string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        return Check(name, bytes);
    }

    public static FileCheckResult Check(string name, byte[] bytes)
    {
        var extension = name.EndsWith(".spec.yaml", StringComparison.Ordinal) ? ".spec.yaml" : Path.GetExtension(name);
        return extension switch
        {
            ".png" => bytes.AsSpan().StartsWith(PngSignature)
                ? FileCheckResult.Review(FigureReview)
                : FileCheckResult.Failed("This file is called .png but is not a PNG image (its first bytes are not the PNG signature)."),
            ".pdf" => CheckPdf(bytes),
            ".svg" => CheckText(bytes, name, maxBytes: null, CheckSvg),
            ".json" => CheckText(bytes, name, MaxTextBytes, CheckJson),
            ".csv" => CheckText(bytes, name, maxBytes: null, _ => FileCheckResult.Review(
                "No spec: the checker must recompute this by hand. Write tables with datakamp.crosstab(...) so the host recomputes them.")),
            ".spec.yaml" => FileCheckResult.Failed("The spec could not be checked."),
            _ => CheckText(bytes, name, MaxTextBytes, _ => FileCheckResult.Review("Text: a checker reads it for numbers about small groups or single persons.")),
        };
    }

    private static FileCheckResult CheckText(byte[] bytes, string name, int? maxBytes, Func<string, FileCheckResult> then)
    {
        if (bytes.Length > maxBytes)
            return FileCheckResult.Failed($"{name} is {bytes.Length:N0} bytes; text for a checker to read is limited to {maxBytes:N0} bytes. Shorten it or split it.");
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

    /// <summary>
    /// Parses the SVG as XML (no DTD, so no entities) and refuses what could show other content than the checker sees or
    /// reach outside the file when the presentation is opened: scripts, embedded foreign documents, event handlers
    /// (<c>on*</c> attributes), and references (<c>href</c>, <c>src</c>, <c>url(...)</c>) that do not point inside the file.
    /// </summary>
    private static FileCheckResult CheckSvg(string text)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
        var sawSvg = false;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                var element = reader.LocalName;
                sawSvg |= element == "svg";
                if (element is "script" or "foreignObject" or "iframe" or "embed" or "object")
                    return SvgRefused($"line {Line(reader)}: a <{element}> element");
                while (reader.MoveToNextAttribute())
                {
                    var attribute = reader.LocalName;
                    if (attribute.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                        return SvgRefused($"line {Line(reader)}: an event handler ({reader.Name})");
                    if (attribute is "href" or "src" && !reader.Value.TrimStart().StartsWith('#'))
                        return SvgRefused($"line {Line(reader)}: a reference outside the file ({reader.Name})");
                    if (HasExternalUrl(reader.Value))
                        return SvgRefused($"line {Line(reader)}: a url(...) outside the file in {reader.Name}");
                }
                reader.MoveToElement();
                if (element == "style" && HasExternalUrl(reader.ReadInnerXml()))
                    return SvgRefused("a url(...) or @import outside the file in <style>");
            }
        }
        catch (XmlException e)
        {
            return FileCheckResult.Failed($"Not a well-formed SVG (XML) file: {e.Message}");
        }
        return sawSvg ? FileCheckResult.Review(FigureReview) : FileCheckResult.Failed("This file is called .svg but holds no <svg> element.");
    }

    private static bool HasExternalUrl(string value)
    {
        var lower = value.ToLowerInvariant();
        if (lower.Contains("@import", StringComparison.Ordinal) || lower.Contains("javascript:", StringComparison.Ordinal)) return true;
        for (var at = lower.IndexOf("url(", StringComparison.Ordinal); at >= 0; at = lower.IndexOf("url(", at + 4, StringComparison.Ordinal))
        {
            var target = lower[(at + 4)..].TrimStart(' ', '\'', '"');
            if (!target.StartsWith('#')) return true;
        }
        return false;
    }

    private static int Line(XmlReader reader) => reader is IXmlLineInfo info ? info.LineNumber : 0;

    private static FileCheckResult SvgRefused(string what) =>
        FileCheckResult.Failed($"The SVG contains {what}: scripts, event handlers and references outside the file are not allowed in a released figure.");

    private static FileCheckResult CheckPdf(byte[] bytes)
    {
        if (!bytes.AsSpan().StartsWith("%PDF-"u8)) return FileCheckResult.Failed("This file is called .pdf but is not a PDF document (it does not start with %PDF-).");
        // Attachments, scripts and media would carry content past a checker who reads the pages.
        var latin = Encoding.Latin1.GetString(bytes);
        foreach (var danger in new[] { "/EmbeddedFile", "/JavaScript", "/JS", "/Launch", "/RichMedia", "/URI" })
            if (latin.Contains(danger, StringComparison.Ordinal))
                return FileCheckResult.Failed($"The PDF contains {danger}: attachments, scripts, links and embedded media are not allowed in a released document.");
        return FileCheckResult.Review("A document: a checker reads every page.");
    }
}
