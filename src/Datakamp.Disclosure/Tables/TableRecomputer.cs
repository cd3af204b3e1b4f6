using System.Globalization;
using Datakamp.Disclosure.Filters;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Recomputes a spec's table from microdata in one streaming pass. Only the columns the spec uses are
/// decoded; the header is checked (every spec and filter column must exist) before any data row is read.
/// Refuses, with a clear error and never a silent pass: an empty dataset, a filter that matches nothing,
/// a table with more cells than the policy allows (checked as soon as a new category appears, before
/// the table is built), an empty unit id, a value or weight that is not a number.
/// </summary>
public static class TableRecomputer
{
    /// <summary>Recomputes the table. <paramref name="fileName"/> is the name used in error messages.</summary>
    public static RecomputedTable Recompute(Stream microdata, string fileName, TableSpec spec, Policy policy,
        char delimiter = ',', CancellationToken cancellationToken = default)
    {
        using var csv = new CsvReader(microdata, fileName, delimiter, ownsStream: false);
        var header = csv.ReadHeader();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++) columns[header[i]] = i;

        int Resolve(string column, string key) => columns.TryGetValue(column, out var i) ? i
            : throw spec.ErrorAt(key, $"column '{CsvReader.Cut(column)}' is not in the dataset {Path.GetFileName(fileName)}");

        var unitField = Resolve(spec.Unit, "unit");
        var dims = spec.Dimensions;
        var dimFields = dims.Select(d => Resolve(d, spec.KeyOf(d))).ToArray();
        var valueField = spec.Value is null ? -1 : Resolve(spec.Value, "value");
        var weightField = spec.Weight is null ? -1 : Resolve(spec.Weight, "weight");
        Func<CsvReader, bool>? filter = null;
        if (spec.Filter is not null)
        {
            try { filter = FilterCompiler.Compile(spec.Filter, c => columns.TryGetValue(c, out var i) ? i : null); }
            catch (FilterSyntaxException e) { throw spec.ErrorAt("filter", $"filter: {e.Reason} at position {e.Position + 1}"); }
        }

        var topK = Math.Max(policy.Dominance?.N ?? 1, 2);
        var agg = new TableAggregator(dims.Count, spec.Statistic, spec.Margins, spec.Weight is not null, topK);
        var maxCells = policy.Limits.MaxTableCells;
        Span<int> codes = stackalloc int[dims.Count];
        long rowsRead = 0, rowsMatched = 0, rowsMissingCategory = 0, rowsUsed = 0;

        while (csv.ReadRecord())
        {
            if ((++rowsRead & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            if (csv.FieldCount != header.Count)
                throw csv.Error(csv.Line, $"expected {header.Count} fields as in the header, found {csv.FieldCount}");
            if (filter is not null && !filter(csv)) continue;
            rowsMatched++;

            var missingCategory = false;
            for (var d = 0; d < dimFields.Length; d++)
            {
                var f = csv.Field(dimFields[d]);
                if (f.IsEmpty) { missingCategory = true; break; }
                int code;
                bool added;
                try { code = agg.Categories[d].GetOrAdd(f, out added); }
                catch (FormatException) { throw csv.Error(csv.Line, $"column '{dims[d]}' is not valid UTF-8 text"); }
                if (added)
                {
                    if (spec.Margins && f.SequenceEqual("Total"u8))
                        throw csv.Error(csv.Line, $"column '{dims[d]}' has a category 'Total', which is reserved for margins");
                    if (agg.CellCount() > maxCells)
                        throw spec.ErrorAt("rows",
                            $"the table would have more than {maxCells:N0} cells (policy limit); refused before aggregation");
                }
                codes[d] = code;
            }
            if (missingCategory) { rowsMissingCategory++; continue; }

            var unitBytes = csv.Field(unitField);
            if (unitBytes.IsEmpty) throw csv.Error(csv.Line, $"the unit column '{spec.Unit}' is empty; every row must name its unit");
            int unit;
            try { unit = agg.Units.GetOrAdd(unitBytes); }
            catch (FormatException) { throw csv.Error(csv.Line, $"column '{spec.Unit}' is not valid UTF-8 text"); }

            var hasValue = false;
            double value = 0;
            if (valueField >= 0)
            {
                var f = csv.Field(valueField);
                if (!f.IsEmpty) { value = Number(csv, f, valueField, spec.Value!); hasValue = true; }
            }
            double weight = 1;
            if (weightField >= 0)
            {
                var f = csv.Field(weightField);
                if (f.IsEmpty) throw csv.Error(csv.Line, $"the weight column '{spec.Weight}' is empty");
                weight = Number(csv, f, weightField, spec.Weight!);
                if (weight < 0) throw csv.Error(csv.Line, $"the weight column '{spec.Weight}' is negative ({weight.ToString(CultureInfo.InvariantCulture)})");
            }
            if (!agg.Add(unit, codes, hasValue, value, weight))
                throw csv.Error(csv.Line, $"unit '{CsvReader.Cut(csv.FieldString(unitField))}' has a different weight than on an earlier row; a unit must have one weight");
            rowsUsed++;
        }
        cancellationToken.ThrowIfCancellationRequested();

        if (rowsRead == 0) throw new DisclosureInputException(fileName, null, "the dataset has no data rows; nothing can be checked");
        if (rowsMatched == 0) throw spec.ErrorAt("filter", $"the filter matches none of the {rowsRead:N0} rows; an empty table cannot be checked");
        if (rowsUsed == 0) throw spec.ErrorAt("rows", "every matching row has an empty value in a dimension column; the table is empty");
        return agg.Build(spec, rowsRead, rowsUsed, rowsMissingCategory);
    }

    private static double Number(CsvReader csv, ReadOnlySpan<byte> f, int field, string column)
    {
        if (double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        throw csv.Error(csv.Line, $"column '{column}' has '{CsvReader.Cut(csv.Decode(f, field))}', which is not a number");
    }
}
