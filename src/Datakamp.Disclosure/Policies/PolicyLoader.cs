using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Yaml;

namespace Datakamp.Disclosure.Policies;

/// <summary>
/// Reads one policy per YAML file. Strict on purpose: an unknown key, an unknown rule, a missing
/// parameter or a parameter out of range is rejected with file, line and reason, because a silently
/// ignored typo (say <c>treshold</c>) would release unsafe tables.
/// </summary>
public static class PolicyLoader
{
    private static readonly string[] TopKeys = ["name", "version", "description", "rules", "statistics", "suppression", "limits"];
    private static readonly string[] RuleKeys =
        ["threshold", "dominance", "p_percent", "group_disclosure", "zero_cells", "negatives", "missing_values", "percentiles", "std", "std_reversal", "comparison"];

    /// <summary>Loads a policy file.</summary>
    public static Policy LoadFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new DisclosureInputException(path, null, $"cannot read policy: {e.Message}"); }
        catch (UnauthorizedAccessException e) { throw new DisclosureInputException(path, null, $"cannot read policy: {e.Message}"); }
        return Parse(text, path);
    }

    /// <summary>Loads every <c>*.yaml</c> in a directory, keyed by policy name; duplicate names are rejected.</summary>
    public static IReadOnlyDictionary<string, Policy> LoadDirectory(string directory)
    {
        var result = new Dictionary<string, Policy>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var p = LoadFile(file);
            if (!result.TryAdd(p.Name, p))
                throw new DisclosureInputException(file, null, $"policy name '{p.Name}' is used by another file too");
        }
        return result;
    }

    /// <summary>Parses policy text; <paramref name="file"/> is only used in error messages.</summary>
    public static Policy Parse(string text, string file)
    {
        var root = YamlMap.Parse(file, text);
        var name = root.RequiredString("name");
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw root.Error("name", "'name' must be letters, digits, '-' or '_'");
        var version = root.RequiredInteger("version");
        if (version is < 1 or > int.MaxValue) throw root.Error("version", "'version' must be a positive whole number");
        var description = root.OptionalString("description") ?? "";

        var rules = root.OptionalMap("rules") ?? throw new DisclosureInputException(file, root.Line, "missing required key 'rules'");
        var threshold = Read(rules, "threshold", m => new ThresholdSettings(
            (int)Range(m, "min_units", m.RequiredInteger("min_units"), 1, 1_000_000), Status(m)))
            ?? throw new DisclosureInputException(file, rules.Line, "rule 'threshold' is required in every policy");
        var dominance = Read(rules, "dominance", m => new DominanceSettings(
            (int)Range(m, "n", m.RequiredInteger("n"), 1, 100),
            Range(m, "k_percent", m.RequiredNumber("k_percent"), double.Epsilon, 100), Status(m),
            m.OptionalBool("unsafe_at_k") ?? false));
        var pPercent = Read(rules, "p_percent", m => new PPercentSettings(
            Range(m, "p", m.RequiredNumber("p"), double.Epsilon, 100), Status(m)));
        var group = Read(rules, "group_disclosure", m => new StatusSettings(Status(m)));
        var zeros = Read(rules, "zero_cells", m => new StatusSettings(Status(m)));
        var negatives = Read(rules, "negatives", m => new StatusSettings(Status(m)));
        // Without max_share_percent every cell with a unit without a value is flagged (the behaviour before the threshold existed).
        var missing = Read(rules, "missing_values", m => new MissingValuesSettings(
            Range(m, "max_share_percent", m.OptionalNumber("max_share_percent") ?? 0, 0, 100), Status(m)));
        var percentiles = Read(rules, "percentiles", m => new StatusSettings(Status(m)));
        var std = Read(rules, "std", m => new StdSettings(
            (int)Range(m, "degrees_of_freedom", m.RequiredInteger("degrees_of_freedom"), 0, 1_000_000), Status(m)));
        // Fail closed: std_reversal is on even when the policy does not name it, with the p% rule's p (else 10) and status fail.
        var stdReversal = Read(rules, "std_reversal", m => new StdReversalSettings(
            Range(m, "p", m.RequiredNumber("p"), double.Epsilon, 100), Status(m)))
            ?? new StdReversalSettings(pPercent?.P ?? 10, CheckStatus.Fail);
        var comparison = Read(rules, "comparison", m => new ComparisonSettings(
            Range(m, "relative_tolerance", m.OptionalNumber("relative_tolerance") ?? 1e-9, 0, 0.01),
            Status(m), StatusOf(m, "missing_cell_status") ?? CheckStatus.Review))
            ?? new ComparisonSettings(1e-9, CheckStatus.Review, CheckStatus.Review);
        RejectUnknownRules(rules);

        var stats = root.OptionalMap("statistics");
        StatisticSettings statistics;
        if (stats is null)
            statistics = new StatisticSettings(new HashSet<string>(["count", "sum", "mean"], StringComparer.Ordinal), CheckStatus.Fail);
        else
        {
            var allowed = stats.OptionalStringList("allowed") ?? throw stats.Error("allowed", "missing required key 'allowed'");
            foreach (var a in allowed)
                if (!Statistic.Families.Contains(a))
                    throw stats.Error("allowed", $"unknown statistic '{YamlMap.Cut(a)}' in 'allowed' (known: {string.Join(", ", Statistic.Families)})");
            statistics = new StatisticSettings(new HashSet<string>(allowed, StringComparer.Ordinal),
                StatusOf(stats, "not_allowed_status") ?? CheckStatus.Fail);
            stats.RejectUnknownKeys(["allowed", "not_allowed_status"]);
        }

        var supp = root.OptionalMap("suppression");
        var suppression = new SuppressionSettings(
            supp is null ? 10 : Range(supp, "frequency_protection_percent", supp.OptionalNumber("frequency_protection_percent") ?? 10, 0, 100),
            supp is null ? 1 : Range(supp, "minimum_protection", supp.OptionalNumber("minimum_protection") ?? 1, 0, double.MaxValue));
        supp?.RejectUnknownKeys(["frequency_protection_percent", "minimum_protection"]);

        var lim = root.OptionalMap("limits");
        var limits = new LimitSettings(
            lim?.OptionalInteger("max_table_cells") is { } mc ? Range(lim, "max_table_cells", mc, 1, 100_000_000) : 1_000_000,
            lim?.OptionalInteger("max_file_bytes") is { } mb ? Range(lim, "max_file_bytes", mb, 1, long.MaxValue) : 50L * 1024 * 1024,
            Extensions(lim) ?? [".csv"],
            lim?.OptionalStringList("forbidden_columns") ?? []);
        lim?.RejectUnknownKeys(["max_table_cells", "max_file_bytes", "allowed_extensions", "forbidden_columns"]);

        root.RejectUnknownKeys(TopKeys);
        return new Policy
        {
            Name = name,
            Version = (int)version,
            Description = description,
            Threshold = threshold,
            Dominance = dominance,
            PPercent = pPercent,
            GroupDisclosure = group,
            ZeroCells = zeros,
            Negatives = negatives,
            MissingValues = missing,
            Percentiles = percentiles,
            Std = std,
            StdReversal = stdReversal,
            Statistics = statistics,
            Comparison = comparison,
            Suppression = suppression,
            Limits = limits,
        };
    }

    private static T? Read<T>(YamlMap rules, string key, Func<YamlMap, T> read) where T : class
    {
        var m = rules.OptionalMap(key);
        if (m is null) return null;
        var value = read(m);
        m.RejectUnknownKeys(AllowedKeys(key));
        return value;
    }

    private static IEnumerable<string> AllowedKeys(string rule) => rule switch
    {
        "threshold" => ["min_units", "status"],
        "dominance" => ["n", "k_percent", "status", "unsafe_at_k"],
        "p_percent" => ["p", "status"],
        "std_reversal" => ["p", "status"],
        "missing_values" => ["max_share_percent", "status"],
        "std" => ["degrees_of_freedom", "status"],
        "comparison" => ["relative_tolerance", "status", "missing_cell_status"],
        _ => ["status"],
    };

    private static void RejectUnknownRules(YamlMap rules)
    {
        foreach (var (key, line) in rules.Keys())
            if (!RuleKeys.Contains(key))
                throw new DisclosureInputException(rules.File, line,
                    $"unknown rule '{YamlMap.Cut(key)}' (known rules: {string.Join(", ", RuleKeys)})");
    }

    private static CheckStatus Status(YamlMap m) =>
        StatusOf(m, "status") ?? throw new DisclosureInputException(m.File, m.Line, "missing required key 'status' (fail or review)");

    private static CheckStatus? StatusOf(YamlMap m, string key) => m.OptionalString(key) switch
    {
        null => null,
        "fail" => CheckStatus.Fail,
        "review" => CheckStatus.Review,
        var other => throw m.Error(key, $"'{key}' must be 'fail' or 'review', not '{YamlMap.Cut(other)}'"),
    };

    private static long Range(YamlMap m, string key, long v, long min, long max) =>
        v >= min && v <= max ? v : throw m.Error(key, $"'{key}' must be between {min} and {max}, not {v}");

    private static double Range(YamlMap m, string key, double v, double min, double max) =>
        v >= min && v <= max ? v : throw m.Error(key, $"'{key}' must be between {min} and {max}, not {v}");

    private static IReadOnlyList<string>? Extensions(YamlMap? lim)
    {
        var list = lim?.OptionalStringList("allowed_extensions");
        if (list is null) return null;
        foreach (var e in list)
            if (e.Length < 2 || e[0] != '.')
                throw lim!.Error("allowed_extensions", $"extension '{YamlMap.Cut(e)}' must start with a dot, like '.csv'");
        return list.Select(e => e.ToLowerInvariant()).ToList();
    }
}
