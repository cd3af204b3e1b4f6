using Datakamp.Disclosure.Filters;
using Datakamp.Disclosure.Yaml;

namespace Datakamp.Disclosure.Specs;

/// <summary>
/// Reads a table spec (YAML, or JSON which is YAML too). Unknown keys, a missing version, a wrong
/// combination (a value column for <c>count</c>, weights for percentiles) and filter syntax errors are
/// rejected with file and line; column names are checked later against the microdata header.
/// </summary>
public static class TableSpecLoader
{
    private static readonly string[] Keys =
        ["version", "kind", "dataset", "unit", "rows", "cols", "layers", "statistic", "value", "weight", "filter", "margins", "file", "delimiter"];

    /// <summary>Loads a spec file.</summary>
    public static TableSpec LoadFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new DisclosureInputException(path, null, $"cannot read spec: {e.Message}"); }
        catch (UnauthorizedAccessException e) { throw new DisclosureInputException(path, null, $"cannot read spec: {e.Message}"); }
        return Parse(text, path);
    }

    /// <summary>Parses spec text; <paramref name="file"/> is used in error messages.</summary>
    public static TableSpec Parse(string text, string file)
    {
        var m = YamlMap.Parse(file, text);
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (k, line) in m.Keys()) lines[k] = line;

        var version = m.OptionalInteger("version") ?? throw new DisclosureInputException(file, m.Line, "missing required key 'version' (use version: 1)");
        if (version != 1) throw m.Error("version", $"unsupported spec version {version}; this checker reads version 1");
        var kind = m.RequiredString("kind");
        if (kind != "table") throw m.Error("kind", $"'kind' must be 'table', not '{YamlMap.Cut(kind)}'");

        var dataset = NonEmpty(m, "dataset", m.RequiredString("dataset"));
        var unit = NonEmpty(m, "unit", m.RequiredString("unit"));
        var rows = m.OptionalStringList("rows") ?? [];
        var cols = m.OptionalStringList("cols") ?? [];
        var layers = m.OptionalStringList("layers") ?? [];
        var dims = rows.Concat(cols).Concat(layers).ToList();
        if (dims.Count == 0) throw new DisclosureInputException(file, m.Line, "a table needs at least one dimension under 'rows'");
        if (dims.Count > 3) throw new DisclosureInputException(file, m.Line, $"at most 3 dimensions are supported, the spec has {dims.Count}");
        if (rows.Count == 0) throw new DisclosureInputException(file, m.LineOf(cols.Count > 0 ? "cols" : "layers"), "put the first dimension under 'rows'");
        foreach (var d in dims)
        {
            if (d.Length == 0) throw new DisclosureInputException(file, m.Line, "a dimension column name is empty");
            if (dims.Count(x => x == d) > 1) throw new DisclosureInputException(file, m.Line, $"dimension '{YamlMap.Cut(d)}' is listed twice");
            if (d == unit) throw m.Error("unit", $"the unit column '{YamlMap.Cut(d)}' cannot also be a dimension");
        }

        var statText = m.RequiredString("statistic");
        var statistic = Statistic.TryParse(statText)
            ?? throw m.Error("statistic", $"unknown statistic '{YamlMap.Cut(statText)}' (use count, sum, mean, median, min, max, std or pNN such as p90)");
        var value = m.OptionalString("value");
        if (statistic.IsMagnitude && string.IsNullOrEmpty(value))
            throw new DisclosureInputException(file, m.LineOf("statistic"), $"statistic '{statistic}' needs a 'value' column");
        if (!statistic.IsMagnitude && value is not null)
            throw m.Error("value", "statistic 'count' counts units and takes no 'value' column");
        if (value is not null && (value == unit || dims.Contains(value)))
            throw m.Error("value", $"the value column '{YamlMap.Cut(value)}' is also the unit or a dimension");
        var weight = m.OptionalString("weight");
        if (weight is not null)
        {
            if (weight.Length == 0) throw m.Error("weight", "'weight' is empty");
            if (statistic.Kind is not (StatisticKind.Count or StatisticKind.Sum or StatisticKind.Mean))
                throw m.Error("weight", $"weights are supported for count, sum and mean only, not for '{statistic}'");
            if (weight == unit || weight == value || dims.Contains(weight))
                throw m.Error("weight", $"the weight column '{YamlMap.Cut(weight)}' is also used for something else");
        }

        FilterExpression? filter = null;
        if (m.OptionalString("filter") is { } filterText && filterText.Trim().Length > 0)
        {
            try { filter = FilterParser.Parse(filterText); }
            catch (FilterSyntaxException e)
            {
                throw m.Error("filter", $"filter: {e.Reason} at position {e.Position + 1}");
            }
        }

        var margins = m.OptionalBool("margins") ?? false;
        // 'file' names the submitted table to compare with; a spec checked on the recomputation alone
        // (datakamp check without --submitted) needs none and is labelled after the spec file instead.
        var fileGiven = m.OptionalString("file");
        var fileName = fileGiven is null ? Path.GetFileNameWithoutExtension(file) : NonEmpty(m, "file", fileGiven);
        var delimText = m.OptionalString("delimiter") ?? ",";
        var delimiter = delimText switch
        {
            "," => ',',
            ";" => ';',
            "\\t" or "\t" or "tab" => '\t',
            "|" => '|',
            _ => throw m.Error("delimiter", $"delimiter must be one of , ; | or tab, not '{YamlMap.Cut(delimText)}'"),
        };
        m.RejectUnknownKeys(Keys);

        return new TableSpec
        {
            SourceFile = file,
            Dataset = dataset,
            Unit = unit,
            Rows = rows,
            Cols = cols,
            Layers = layers,
            Statistic = statistic,
            Value = value,
            Weight = weight,
            Filter = filter,
            Margins = margins,
            File = fileName,
            NamesSubmittedFile = fileGiven is not null,
            Delimiter = delimiter,
            KeyLines = lines,
        };
    }

    private static string NonEmpty(YamlMap m, string key, string v) =>
        v.Trim().Length > 0 ? v : throw m.Error(key, $"'{key}' is empty");
}
