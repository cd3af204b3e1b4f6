using System.Formats.Tar;
using System.Text;

namespace Datakamp.Releases;

/// <summary>
/// One entry directly in a team's /outbox as the submit form shows it. <see cref="Name"/> is the team's (hostile: encode
/// it when shown; <see cref="DisplayName"/> is printable ASCII). <see cref="Problem"/> says in words why intake would
/// refuse it; null when it can be selected. <see cref="Description"/> and <see cref="Spec"/> are the texts of the
/// helper's NAME.description.txt and NAME.spec.yaml beside it, when there are any.
/// </summary>
public sealed record OutboxEntry(string Name, long Size, string? Problem)
{
    public string DisplayName => OutboxNames.Display(Name);

    public bool Selectable => Problem is null;

    public string? Description { get; init; }

    public string? Spec { get; init; }
}

/// <summary>What the team's /outbox holds, or why it could not be read (<see cref="Problem"/>).</summary>
public sealed record OutboxListing(IReadOnlyList<OutboxEntry> Entries, string? Problem)
{
    /// <summary>Texts of description and spec files are shown up to this many bytes.</summary>
    public const int MaxShownTextBytes = 16_000;

    public static OutboxListing Unavailable(string problem) => new([], problem);

    /// <summary>Walks a tar of /outbox (as the engine's archive API makes it) without storing anything and without following any link.</summary>
    public static async Task<OutboxListing> ReadAsync(Stream tar, IntakeLimits limits, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, OutboxEntry>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        string? problem = null;
        long passed = 0;
        var count = 0;
        try
        {
            using var reader = new TarReader(tar, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (++count > limits.MaxArchiveEntries)
                {
                    problem = $"The outbox holds more than {limits.MaxArchiveEntries} entries; only the first were read. Remove what you do not need.";
                    break;
                }
                if (entry.Length > limits.MaxArchiveBytes - passed)
                {
                    problem = "The outbox holds a file too large to read past; the rest was not read. Remove that file from /outbox.";
                    break;
                }
                passed += entry.Length;
                var name = OutboxIntake.DirectChild(entry.Name, out var nested);
                if (name is null || nested) continue;
                if (entries.ContainsKey(name))
                {
                    entries[name] = entries[name] with { Problem = "The outbox archive holds this name more than once; it cannot be taken." };
                    continue;
                }
                var refusal = OutboxNames.Refusal(name) ?? OutboxIntake.EntryRefusal(entry);
                var tooLarge = refusal is null && entry.Length > limits.MaxFileBytes
                    ? $"The file is {entry.Length:N0} bytes; at most {limits.MaxFileBytes:N0} bytes per file can be taken." : null;
                entries[name] = new OutboxEntry(name, entry.Length, refusal?.Reason ?? tooLarge);
                if (refusal is null && tooLarge is null && IsHelperText(name) && entry.DataStream is { } data)
                    texts[name] = await ReadTextAsync(data, cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            problem = "The outbox could not be read completely (the archive from the sandbox was malformed).";
        }

        var listed = entries.Values
            .Select(e => e with { Description = TextBeside(e.Name, ".description.txt", texts), Spec = TextBeside(e.Name, ".spec.yaml", texts) })
            .OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        return new OutboxListing(listed, problem);
    }

    private static bool IsHelperText(string name) => name.EndsWith(".description.txt", StringComparison.Ordinal) || name.EndsWith(".spec.yaml", StringComparison.Ordinal);

    /// <summary>The text of NAME + suffix for a table or figure NAME.csv / NAME.png / NAME.svg (not for the text files themselves).</summary>
    private static string? TextBeside(string name, string suffix, Dictionary<string, string> texts)
    {
        if (IsHelperText(name)) return null;
        var stem = Path.GetFileNameWithoutExtension(name);
        return texts.GetValueOrDefault(stem + suffix);
    }

    private static async Task<string> ReadTextAsync(Stream data, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxShownTextBytes];
        var read = 0;
        while (read < buffer.Length && await data.ReadAsync(buffer.AsMemory(read), cancellationToken) is > 0 and var n) read += n;
        // Shown to people, never interpreted: invalid UTF-8 becomes U+FFFD, and the page encodes it.
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
