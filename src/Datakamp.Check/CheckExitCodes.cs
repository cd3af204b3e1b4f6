namespace Datakamp.Check;

/// <summary>
/// Exit codes of <c>datakamp check</c>: the verdict (0, 1, 2) so a script can branch on it, and the
/// BSD sysexits codes (64 and up, as every verb of <c>datakamp</c> uses them) when the input could not be checked at all.
/// </summary>
public static class CheckExitCodes
{
    public const int Pass = 0;
    public const int Fail = 1;
    public const int Review = 2;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = 64;
    /// <summary>A data, spec or policy file is wrong (the message names file, line and field).</summary>
    public const int BadInput = 65;
    /// <summary>An input file does not exist or cannot be opened (sysexits EX_NOINPUT).</summary>
    public const int NotFound = 66;
    /// <summary>A bug: something we did not expect (sysexits EX_SOFTWARE).</summary>
    public const int Unexpected = 70;
}
