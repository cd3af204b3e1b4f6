using System.Globalization;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Comparison;

/// <summary>
/// A submitted table in long form: a header with one column per dimension (named as in the spec) plus a
/// <c>value</c> column, then one row per cell; margins use the category <c>Total</c>; an empty value means
/// an empty cell (NaN). Read against the recomputed table's categories: a category the recomputation does
/// not have, a duplicated cell, a missing or extra column, or a value that is not a number is an input
/// error naming file and line.
/// </summary>
public static class SubmittedTable
{
    /// <summary>Submitted values by cell index of <paramref name="table"/> (null = empty cell).</summary>
    public static IReadOnlyDictionary<int, (double? Value, long Line)> Read(Stream stream, string fileName, RecomputedTable table, char delimiter)
    {
        using var csv = new CsvReader(stream, fileName, delimiter, ownsStream: false);
        var header = csv.ReadHeader();
        var dims = table.Dimensions;
        var dimFields = new int[dims.Count];
        for (var d = 0; d < dims.Count; d++)
        {
            dimFields[d] = IndexOf(header, dims[d].Column);
            if (dimFields[d] < 0) throw new DisclosureInputException(fileName, csv.Line, $"the header has no column '{dims[d].Column}' (a dimension of the spec)");
        }
        var valueField = IndexOf(header, "value");
        if (valueField < 0) throw new DisclosureInputException(fileName, csv.Line, "the header has no 'value' column");
        foreach (var h in header)
            if (h != "value" && !dims.Any(d => d.Column == h))
                throw new DisclosureInputException(fileName, csv.Line, $"unexpected column '{CsvReader.Cut(h)}'; expected the spec's dimensions and 'value'");

        var lookups = dims.Select(d =>
        {
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < d.Categories.Count; i++) map[d.Categories[i]] = i;
            if (table.HasMargins) map.TryAdd(TableDimension.TotalLabel, TableCell.Total);
            return map;
        }).ToArray();

        var result = new Dictionary<int, (double?, long)>();
        var coords = new int[dims.Count];
        while (csv.ReadRecord())
        {
            if (csv.FieldCount != header.Count)
                throw csv.Error(csv.Line, $"expected {header.Count} fields as in the header, found {csv.FieldCount}");
            for (var d = 0; d < dims.Count; d++)
            {
                var text = csv.FieldString(dimFields[d]);
                if (!lookups[d].TryGetValue(text, out coords[d]))
                    throw csv.Error(csv.Line, $"category '{CsvReader.Cut(text)}' of '{dims[d].Column}' does not exist in the recomputed table");
            }
            var v = csv.Field(valueField);
            double? value = null;
            if (!v.IsEmpty)
            {
                if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                    throw csv.Error(csv.Line, $"column 'value' has '{CsvReader.Cut(csv.FieldString(valueField))}', which is not a number");
                value = double.IsNaN(parsed) ? null : parsed;
            }
            var index = table.IndexOf(coords);
            if (!result.TryAdd(index, (value, csv.Line)))
                throw csv.Error(csv.Line, $"cell {table.CellId(table.Cells[index])} appears twice (first on line {result[index].Item2})");
        }
        return result;
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++) if (header[i] == name) return i;
        return -1;
    }
}
