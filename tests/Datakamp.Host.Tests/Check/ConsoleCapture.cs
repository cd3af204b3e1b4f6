using Datakamp.Host.Cli;

namespace Datakamp.Host.Tests.Check;

/// <summary>Tests that replace Console.Out/Error run one at a time; <see cref="RunAsync"/> runs a verb with both captured.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture
{
    /// <summary>Runs <c>datakamp</c> in-process with <paramref name="args"/> (the verb first): its exit code, stdout and stderr.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (output, error) = (new StringWriter(), new StringWriter());
        Console.SetOut(output);
        Console.SetError(error);
        try { return (await DatakampCommandLine.RunAsync(args), output.ToString(), error.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }
}
