using System.Text.Json;
using System.Text.Json.Serialization;

namespace Datakamp.Disclosure.Verdicts;

/// <summary>
/// Source-generated JSON for verdicts: snake_case names, no reflection at run time. This context reads;
/// <see cref="VerdictWriterContext"/> writes (indented), with the same names.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(VerdictDocument))]
public sealed partial class VerdictJsonContext : JsonSerializerContext
{
    /// <summary>Serialises a verdict to UTF-8 JSON.</summary>
    public static string Serialize(VerdictDocument verdict) => JsonSerializer.Serialize(verdict, VerdictWriterContext.Default.VerdictDocument);

    /// <summary>
    /// Writes a verdict to <paramref name="stream"/> (the writer-only code, see <see cref="VerdictWriterContext"/>). The
    /// whole document is buffered first: a verdict of 3,000 cells is about 3 MB.
    /// </summary>
    public static void Write(Stream stream, VerdictDocument verdict)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        JsonSerializer.Serialize(writer, verdict, VerdictWriterContext.Default.VerdictDocument);
    }

    /// <summary>Reads a verdict back (for tests and the checker UI).</summary>
    public static VerdictDocument? Deserialize(string json) => JsonSerializer.Deserialize(json, Default.VerdictDocument);
}
