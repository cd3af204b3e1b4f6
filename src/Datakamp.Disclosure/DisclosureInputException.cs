namespace Datakamp.Disclosure;

/// <summary>
/// A problem with an input (policy, spec, microdata, submitted table) that a person must fix.
/// The message is one human-readable line, starting with <c>file:line</c> when a location is known,
/// so it can be shown to a researcher or checker as-is: never a stack trace.
/// </summary>
public sealed class DisclosureInputException : Exception
{
    /// <summary>Creates the exception with a location prefix when <paramref name="file"/> is given.</summary>
    public DisclosureInputException(string? file, long? line, string reason)
        : base(Format(file, line, reason))
    {
        File = file;
        Line = line;
        Reason = reason;
    }

    /// <summary>The file the problem is in, if known.</summary>
    public string? File { get; }

    /// <summary>1-based line in <see cref="File"/>, if known.</summary>
    public long? Line { get; }

    /// <summary>What is wrong, without location.</summary>
    public string Reason { get; }

    private static string Format(string? file, long? line, string reason)
    {
        reason = reason.ReplaceLineEndings(" ");
        if (file is null) return reason;
        return line is { } l ? $"{file}:{l}: {reason}" : $"{file}: {reason}";
    }
}
