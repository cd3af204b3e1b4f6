using Datakamp.Host.Cli;

namespace Datakamp.Host.Check;

/// <summary>
/// Exit codes of <c>datakamp check</c>: the verdict (0, 1, 2) so a script can branch on it, and the
/// sysexits codes of <see cref="ExitCodes"/> (64 and up) when the input could not be checked at all.
/// </summary>
public static class CheckExitCodes
{
    public const int Pass = ExitCodes.Ok;
    public const int Fail = 1;
    public const int Review = 2;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = ExitCodes.Usage;
    /// <summary>A data, spec or policy file is wrong (the message names file, line and field).</summary>
    public const int BadInput = ExitCodes.DataError;
    /// <summary>An input file does not exist or cannot be opened (sysexits EX_NOINPUT).</summary>
    public const int NotFound = 66;
}
