using System.Text;
using Datakamp.Host.Cli;

namespace Datakamp.Host.Demo;

/// <summary><c>datakamp demo-data --out FILE [--rows N] [--seed S]</c>: writes synthetic persons microdata.</summary>
internal static class DemoDataCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        string? output = null;
        var rows = 20_000;
        var seed = 20261122;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--out": output = Value(); break;
                case "--rows": rows = ParseCount(Value(), "--rows", 1, 100_000_000); break;
                case "--seed": seed = ParseCount(Value(), "--seed", 0, int.MaxValue); break;
                default: throw new UsageException($"demo-data: unknown option '{args[i]}'");
            }
        }
        if (output is null) throw new UsageException("demo-data: --out FILE is required");

        var temporary = output + ".partial";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), bufferSize: 1 << 20))
        {
            SyntheticPersons.Write(writer, rows, seed);
        }
        File.Move(temporary, output, overwrite: true);
        Console.WriteLine($"wrote {rows} synthetic persons to {output}");
        return Task.FromResult(ExitCodes.Ok);
    }

    private static int ParseCount(string text, string option, int min, int max) =>
        int.TryParse(text, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"{option} must be a whole number from {min} to {max} (got '{text}')");
}
