namespace Datakamp.Domain.Releases;

/// <summary>
/// One file as it went onto the presentation: the exact bytes (by SHA-256 in the content store) and what they are.
/// For a file approved as it is, these are the submitted bytes; for one approved with suppression, the host's table.
/// </summary>
public sealed record PublishedOutput(string Name, string Sha256, long SizeBytes, string MediaType, OutputForm Form);

/// <summary>What a published file is, relative to what the team submitted.</summary>
public enum OutputForm
{
    /// <summary>The team's file, byte for byte as checked and reviewed.</summary>
    AsSubmitted,

    /// <summary>The host's recomputation of the team's table with the suppressed cells blank and marked.</summary>
    SuppressedByHost,
}
