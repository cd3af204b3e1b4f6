namespace Datakamp.Host.Startup;

/// <summary>
/// The host cannot start, for a reason a person can fix. The message is one line that names what
/// is missing or wrong and how to fix it; the command line prints it instead of a stack trace.
/// </summary>
public sealed class StartupException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
