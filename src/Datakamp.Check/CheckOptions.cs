
namespace Datakamp.Check;

/// <summary>The parsed command line of <c>datakamp check</c>. <see cref="Policy"/> is as typed: a name or a path (<see cref="PolicyArgument"/>).</summary>
internal sealed record CheckOptions(
    string Data, IReadOnlyList<string> Specs, string Policy, IReadOnlyList<string> Submitted, string? Out, char Delimiter, bool Details, bool Cache = false)
{
    public const string Usage =
        "check --data FILE --spec SPEC [--spec SPEC ...] --policy NAME|FILE [--submitted TABLE ...] [--out VERDICT.json] [--details] [--delimiter ,] [--cache]";

    /// <summary>True when the command line asks for help: then nothing else on it matters.</summary>
    public static bool WantsHelp(string[] args) => args.Any(a => a is "--help" or "-h");

    public static CheckOptions Parse(string[] args)
    {
        string? data = null, policy = null, output = null;
        var specs = new List<string>();
        var submitted = new List<string>();
        var delimiter = ',';
        var details = false;
        var cache = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i] : throw new UsageException($"check: {args[i]} needs a value");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--spec": specs.Add(Value()); break;
                case "--policy": policy = Value(); break;
                case "--submitted": submitted.Add(Value()); break;
                case "--out": output = Value(); break;
                case "--delimiter": delimiter = ParseDelimiter(Value()); break;
                case "--details": details = true; break;
                case "--cache": cache = true; break;
                default: throw new UsageException($"check: unknown option '{args[i]}'; usage: datakamp {Usage} (datakamp check --help explains each)");
            }
        }
        if (data is null) throw new UsageException($"check: --data is required; usage: datakamp {Usage}");
        if (specs.Count == 0) throw new UsageException($"check: at least one --spec is required; usage: datakamp {Usage}");
        if (policy is null) throw new UsageException($"check: --policy is required; usage: datakamp {Usage}");
        return new CheckOptions(data, specs, policy, submitted, output, delimiter, details, cache);
    }

    private static char ParseDelimiter(string text) => text switch
    {
        "," or ";" or "|" => text[0],
        "tab" or "\\t" or "\t" => '\t',
        _ => throw new UsageException($"check: --delimiter must be , ; | or tab (got '{text}')"),
    };
}
