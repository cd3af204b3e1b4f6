using Datakamp.Domain;
using System.Text;

namespace Datakamp.Releases;

/// <summary>Caps on one intake request. Every cap is counted on what is actually read, never on a team's word.</summary>
public sealed record IntakeLimits
{
    /// <summary>At most this many files per request (default 20).</summary>
    public int MaxFiles { get; init; } = 20;

    /// <summary>At most this many bytes per file (default 10 MB).</summary>
    public long MaxFileBytes { get; init; } = 10_000_000;

    /// <summary>At most this many bytes for all accepted files of one request together (default 50 MB).</summary>
    public long MaxRequestBytes { get; init; } = 50_000_000;

    /// <summary>
    /// At most this many bytes of file data are read or passed over in the outbox archive (selected or not). A file
    /// claiming more (a sparse 1 TiB file) stops the walk before any of it is read (default 256 MB).
    /// </summary>
    public long MaxArchiveBytes { get; init; } = 256_000_000;

    /// <summary>At most this many tar entries are looked at (default 10,000).</summary>
    public int MaxArchiveEntries { get; init; } = 10_000;

    /// <summary>The whole archive call, reading included (default 2 minutes).</summary>
    public TimeSpan ArchiveTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public static IntakeLimits Default { get; } = new();
}

/// <summary>Why a selected name was not taken in.</summary>
public enum RefusalKind
{
    UnsafeName,
    DisallowedExtension,
    NotFound,
    SymbolicLink,
    HardLink,
    Fifo,
    Device,
    Directory,
    UnsupportedEntry,
    FileTooLarge,
    TooManyFiles,
    RequestTooLarge,
    Duplicate,
    SpecialPermissionBits,
    NotExamined,
    OutboxUnavailable,
}

/// <summary>A file taken into the content store: its outbox name, size, SHA-256 (its address) and media type.</summary>
public sealed record AcceptedOutput(string Name, long Size, string Sha256, string MediaType);

/// <summary>
/// A selected name that was refused, with a reason written for a person. <see cref="Name"/> is exactly what was
/// selected (hostile: encode it when shown); <see cref="DisplayName"/> is a printable ASCII rendering of it.
/// The reason never contains the name.
/// </summary>
public sealed record RefusedOutput(string Name, RefusalKind Kind, string Reason)
{
    public string DisplayName => OutboxNames.Display(Name);
}

/// <summary>What one intake took from the outbox (a snapshot: later changes in the sandbox do not matter) and what it refused.</summary>
public sealed record IntakeResult(IReadOnlyList<AcceptedOutput> Accepted, IReadOnlyList<RefusedOutput> Refused);

/// <summary>The rules for names a team may select from its outbox.</summary>
public static partial class OutboxNames
{
    private static readonly (string Suffix, string MediaType)[] Allowed =
    [
        (".spec.yaml", "application/yaml"),
        (".csv", "text/csv"),
        (".txt", "text/plain"),
        (".md", "text/markdown"),
        (".json", "application/json"),
        (".png", "image/png"),
        (".svg", "image/svg+xml"),
        (".pdf", "application/pdf"),
    ];

    /// <summary>The allowed endings, for messages.</summary>
    public static string AllowedList => string.Join(", ", Allowed.Select(a => a.Suffix));

    // \z, not $: '$' also matches before a final newline.
    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex SafeName();

    /// <summary>
    /// A plain file name: 1-100 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit, no "..".
    /// Rules out paths, '\', control characters, newlines, non-ASCII (and so invalid UTF-8), leading '-' or '.'.
    /// </summary>
    public static bool IsSafe(string? name) => name is not null && SafeName().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>Why a name can never be taken from the outbox (unsafe, or an ending not allowed); null when it can.</summary>
    public static (RefusalKind Kind, string Reason)? Refusal(string name)
    {
        if (!IsSafe(name))
            return (RefusalKind.UnsafeName, "The name is not a plain file name. Use 1-100 letters, digits, '.', '_' or '-', "
                + "starting with a letter or digit, with no '..', spaces, slashes, backslashes, control characters or non-ASCII characters.");
        if (MediaTypeOf(name) is null)
            return (RefusalKind.DisallowedExtension, $"This kind of file cannot be released. Allowed endings: {AllowedList}.");
        return null;
    }

    /// <summary>The media type for an allowed ending, or null.</summary>
    public static string? MediaTypeOf(string name)
    {
        foreach (var (suffix, mediaType) in Allowed)
            if (name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length)
                return mediaType;
        return null;
    }

    /// <summary>Printable ASCII for any string: other characters become \n, \t, \uXXXX; long names are cut.</summary>
    public static string Display(string name) => LogText.Excerpt(name, 200);
}
