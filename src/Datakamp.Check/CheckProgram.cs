namespace Datakamp.Check;

/// <summary>
/// <c>datakamp-check</c>: <c>datakamp check</c> on its own, compiled ahead of time to native code (scripts/publish),
/// so a check starts without a runtime to load or code to compile, and peaks lower. Same options, output and exit codes.
/// A named class rather than top-level statements: the host's tests see this assembly's internals and the host's own <c>Program</c>.
/// </summary>
internal static class CheckProgram
{
    public static Task<int> Main(string[] args) => CheckCommand.RunAsync(args);
}
