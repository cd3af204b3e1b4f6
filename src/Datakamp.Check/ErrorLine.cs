namespace Datakamp.Check;

/// <summary>
/// How every verb of <c>datakamp</c> reports a failure a person can fix: one line on stderr, prefixed
/// <c>datakamp:</c>, never a stack trace. Shared with the host's other verbs so the two programs that run
/// <c>check</c> (<c>datakamp check</c> and <c>datakamp-check</c>) print the same line.
/// </summary>
public static class ErrorLine
{
    /// <summary>Writes <paramref name="message"/> as one line on stderr and returns <paramref name="exitCode"/>.</summary>
    public static int Write(string message, int exitCode)
    {
        Console.Error.WriteLine($"datakamp: {OneLine(message)}");
        return exitCode;
    }

    /// <summary>
    /// Reports an exception nobody expected (a bug) as one line naming its type, and the whole exception only when
    /// <c>DATAKAMP_DEBUG=1</c>; returns <paramref name="exitCode"/>.
    /// </summary>
    public static int Unexpected(Exception e, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Environment.GetEnvironmentVariable("DATAKAMP_DEBUG") == "1") Console.Error.WriteLine(e);
        return Write($"unexpected error ({e.GetType().Name}): {OneLine(e.Message)}; set DATAKAMP_DEBUG=1 for details", exitCode);
    }

    /// <summary><paramref name="text"/> with its line breaks (and the blanks around them) turned into single spaces.</summary>
    public static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
