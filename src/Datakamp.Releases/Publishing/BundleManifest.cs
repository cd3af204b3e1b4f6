using System.Text.Json;
using System.Text.Json.Serialization;

namespace Datakamp.Releases;

/// <summary>
/// manifest.json in a presentation bundle: for every file, where it is in the zip, its SHA-256 (re-verified when the
/// bundle was made), who approved it and when, the policy and the verdict it was checked under, and whether it is the
/// team's file or the host's table with suppression. Anyone can check a copy of a released file against it.
/// </summary>
public sealed record BundleManifest(
    string Event,
    string? Team,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<BundleManifest.Entry> Files)
{
    public sealed record Entry(
        string Path,
        string Team,
        long RequestId,
        int Version,
        string Name,
        string Sha256,
        long SizeBytes,
        string Form,
        IReadOnlyList<string> Approvers,
        DateTimeOffset? ApprovedAt,
        DateTimeOffset PublishedAt,
        Policy? Policy,
        string? VerdictId);

    public sealed record Policy(string Name, int Version);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static BundleManifest? Parse(byte[] json) => JsonSerializer.Deserialize<BundleManifest>(json, Json);
}
