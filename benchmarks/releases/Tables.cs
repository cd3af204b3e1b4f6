using System.Globalization;
using System.Text;

namespace Datakamp.Benchmarks.Releases;

/// <summary>One submitted table as the helper writes it into /outbox: NAME.csv (long form) and NAME.spec.yaml.</summary>
internal sealed record TableFiles(string Name, string Csv, string Spec)
{
    public string CsvName => Name + ".csv";

    public string SpecName => Name + ".spec.yaml";

    public Dictionary<string, byte[]> Files => new(StringComparer.Ordinal)
    {
        [CsvName] = Encoding.UTF8.GetBytes(Csv),
        [SpecName] = Encoding.UTF8.GetBytes(Spec),
    };
}

/// <summary>
/// Computes tables on the persons CSV in C#, the way a team's notebook does with the helper (count = distinct units,
/// sum = sum of unit values, missing values left out, margins as "Total"), and writes them as the helper writes them.
/// </summary>
internal sealed class PersonsTables
{
    private const string Total = "Total";
    private readonly Dictionary<string, int> _column;
    private readonly List<string[]> _rows;

    private PersonsTables(Dictionary<string, int> column, List<string[]> rows) => (_column, _rows) = (column, rows);

    /// <summary>Reads the synthetic persons file (it has no quoted fields; one is refused rather than misread).</summary>
    public static PersonsTables Read(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()!.Split(',');
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains('"')) throw new InvalidDataException($"{path}: quoted fields are not expected here");
            rows.Add(line.Split(','));
        }
        return new PersonsTables(header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i), rows);
    }

    /// <summary>The two tables the benchmark submits in turn.</summary>
    public TableFiles Make(int number) => number % 2 == 0
        ? Crosstab($"t{number:00}_persons_by_district_age", ["district", "age_band"], value: null)
        : Crosstab($"t{number:00}_adult_income_by_district", ["district"], value: "income", without: ("age_band", "0-14"));

    /// <summary>
    /// Count (value null) or sum of <paramref name="value"/> by the dimensions, with margins, leaving out the rows whose
    /// column has the value <paramref name="without"/> names (children have no income: they would make every cell "review").
    /// </summary>
    private TableFiles Crosstab(string name, string[] dimensions, string? value, (string Column, string Value)? without = null)
    {
        // Every cell, margins included, maps to its units and each unit's summed value (null: no value seen).
        var cells = new Dictionary<string, Dictionary<string, long?>>(StringComparer.Ordinal);
        var unit = _column["person_id"];
        foreach (var row in _rows.Where(r => without is not { } skip || r[_column[skip.Column]] != skip.Value))
        {
            var categories = dimensions.Select(d => row[_column[d]]).ToArray();
            var field = value is null ? "" : row[_column[value]];
            long? amount = field.Length == 0 ? null : long.Parse(field, CultureInfo.InvariantCulture);
            // 2^dimensions cells per row: each dimension is either its category or Total.
            for (var mask = 0; mask < 1 << dimensions.Length; mask++)
            {
                var key = string.Join('\u001f', categories.Select((c, i) => (mask & (1 << i)) != 0 ? Total : c));
                if (!cells.TryGetValue(key, out var units)) cells[key] = units = new Dictionary<string, long?>(StringComparer.Ordinal);
                units[row[unit]] = units.TryGetValue(row[unit], out var sum) && sum is not null ? sum + (amount ?? 0) : amount;
            }
        }

        var csv = new StringBuilder(string.Join(',', dimensions) + ",value\n");
        foreach (var combination in Combinations(dimensions))
        {
            var units = cells.GetValueOrDefault(string.Join('\u001f', combination));
            string text;
            if (value is null) text = (units?.Count ?? 0).ToString(CultureInfo.InvariantCulture);
            else text = units is null || units.Values.All(v => v is null) ? "" : units.Values.Sum(v => v ?? 0).ToString(CultureInfo.InvariantCulture);
            csv.Append(string.Join(',', combination)).Append(',').Append(text).Append('\n');
        }

        var spec = new StringBuilder("# Table spec for the Datakamp disclosure checker (written by the datakamp helper).\n")
            .Append("version: 1\nkind: table\ndataset: \"persons\"\nunit: \"person_id\"\n")
            .Append(CultureInfo.InvariantCulture, $"rows: [\"{dimensions[0]}\"]\n");
        if (dimensions.Length > 1) spec.Append(CultureInfo.InvariantCulture, $"cols: [\"{dimensions[1]}\"]\n");
        spec.Append(value is null ? "statistic: count\n" : $"statistic: sum\nvalue: \"{value}\"\n");
        if (without is { } w) spec.Append(CultureInfo.InvariantCulture, $"filter: \"{w.Column} != \\\"{w.Value}\\\"\"\n");
        spec.Append(CultureInfo.InvariantCulture, $"margins: true\nfile: \"{name}.csv\"\n");
        return new TableFiles(name, csv.ToString(), spec.ToString());
    }

    /// <summary>Every combination of categories (sorted ordinally, Total last), empty combinations included.</summary>
    private IEnumerable<string[]> Combinations(string[] dimensions)
    {
        IEnumerable<string[]> result = [[]];
        foreach (var dimension in dimensions)
        {
            var categories = _rows.Select(r => r[_column[dimension]]).Distinct().Order(StringComparer.Ordinal).Append(Total).ToList();
            result = result.SelectMany(prefix => categories.Select(c => prefix.Append(c).ToArray())).ToList();
        }
        return result;
    }
}
