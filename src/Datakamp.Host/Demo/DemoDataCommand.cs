using System.Text;
using Datakamp.Host.Cli;

namespace Datakamp.Host.Demo;

/// <summary>
/// <c>datakamp demo-data --out FILE [--rows N] [--seed S] [--shape districts|neighbourhoods]</c>: writes synthetic
/// persons microdata. <c>districts</c> (the default) is <see cref="SyntheticPersons"/>, the demo event's file;
/// <c>neighbourhoods</c> is <see cref="SyntheticNeighbourhoods"/>, the shape of the disclosure benchmark.
/// </summary>
internal static class DemoDataCommand
{
    private const string Help = """
        usage: datakamp demo-data --out FILE [--rows N] [--seed S] [--shape districts|neighbourhoods]

        Writes synthetic persons microdata (invented people) as CSV; the same seed gives the same file.

          --out FILE      the CSV to write (replaced when it exists)
          --rows N        the number of persons (default 20000)
          --seed S        the seed (default 20261122)
          --shape SHAPE   districts (default): 12 districts x 10 age bands x 15 household types, with
                          household_id, sex, benefit, debt_assistance and weight; the demo event's data.
                          neighbourhoods: 60 neighbourhoods of very different sizes x 6 age bands x
                          6 household types, columns person_id, neighbourhood, age_band, household_type,
                          income; about 2% without an income and 0.2% without a household type.
          -h, --help      print this text
        """;

    public static Task<int> RunAsync(string[] args)
    {
        string? output = null;
        var rows = 20_000;
        var seed = 20261122;
        var neighbourhoods = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--out": output = Value(); break;
                case "--rows": rows = ParseCount(Value(), "--rows", 1, 100_000_000); break;
                case "--seed": seed = ParseCount(Value(), "--seed", 0, int.MaxValue); break;
                case "--shape":
                    neighbourhoods = Value() switch
                    {
                        "districts" => false,
                        "neighbourhoods" => true,
                        var other => throw new UsageException($"--shape must be districts or neighbourhoods (got '{other}')"),
                    };
                    break;
                case "-h" or "--help":
                    Console.Out.Write(Help);
                    return Task.FromResult(ExitCodes.Ok);
                default: throw new UsageException($"demo-data: unknown option '{args[i]}'");
            }
        }
        if (output is null) throw new UsageException("demo-data: --out FILE is required");

        var temporary = output + ".partial";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), bufferSize: 1 << 20))
        {
            if (neighbourhoods) SyntheticNeighbourhoods.Write(writer, rows, seed);
            else SyntheticPersons.Write(writer, rows, seed);
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
