using System.Text.Json;
using System.Text.Json.Serialization;

namespace Datakamp.Disclosure.Verdicts;

/// <summary>Source-generated JSON for verdicts: snake_case names, indented, no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(VerdictDocument))]
public sealed partial class VerdictJsonContext : JsonSerializerContext
{
    /// <summary>Serialises a verdict to UTF-8 JSON.</summary>
    public static string Serialize(VerdictDocument verdict) => JsonSerializer.Serialize(verdict, Default.VerdictDocument);

    /// <summary>Reads a verdict back (for tests and the checker UI).</summary>
    public static VerdictDocument? Deserialize(string json) => JsonSerializer.Deserialize(json, Default.VerdictDocument);
}
