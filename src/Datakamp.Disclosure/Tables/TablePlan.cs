using System.Globalization;
using Datakamp.Disclosure.Filters;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// One spec resolved against the microdata header before any data row is read: the field of every column
/// it uses and its compiled filter. Immutable, so parser threads share it. <see cref="Read"/> turns one
/// record into what the aggregation needs, with the input errors of the original single-pass reader.
/// </summary>
internal sealed class TablePlan
{
    /// <summary>Bits per dimension in a packed category-code key (3 dimensions fit in a long).</summary>
    public const int BitsPerDimension = 21;
    public const long CodeMask = (1L << BitsPerDimension) - 1;

    /// <summary><see cref="Read"/>: the row does not pass the filter.</summary>
    public const long Skipped = -1;

    private readonly Func<CsvReader, bool>? _filter;

    private TablePlan(TableSpec spec, int unitField, int[] dimensionFields, int valueField, int weightField, Func<CsvReader, bool>? filter,
        int[] filterFields)
    {
        FilterFields = filterFields;
        Spec = spec;
        UnitField = unitField;
        DimensionFields = dimensionFields;
        ValueField = valueField;
        WeightField = weightField;
        _filter = filter;
    }

    public TableSpec Spec { get; }
    public int UnitField { get; }
    public int[] DimensionFields { get; }
    public int ValueField { get; }
    public int WeightField { get; }
    /// <summary>The fields the filter reads.</summary>
    public int[] FilterFields { get; }

    /// <summary>Every field this plan reads (a columnar cache loads just these).</summary>
    public IEnumerable<int> Fields() =>
        new[] { UnitField, ValueField, WeightField }.Concat(DimensionFields).Concat(FilterFields).Where(f => f >= 0).Distinct();

    /// <summary>Resolves <paramref name="spec"/>'s columns; an unknown column is an error at the spec key that names it.</summary>
    public static TablePlan Create(TableSpec spec, IReadOnlyList<string> header, string fileName)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++) columns[header[i]] = i;
        int Resolve(string column, string key) => columns.TryGetValue(column, out var i) ? i
            : throw spec.ErrorAt(key, $"column '{CsvReader.Cut(column)}' is not in the dataset {Path.GetFileName(fileName)}");

        var unit = Resolve(spec.Unit, "unit");
        var dims = spec.Dimensions.Select(d => Resolve(d, spec.KeyOf(d))).ToArray();
        var value = spec.Value is null ? -1 : Resolve(spec.Value, "value");
        var weight = spec.Weight is null ? -1 : Resolve(spec.Weight, "weight");
        Func<CsvReader, bool>? filter = null;
        var filterFields = new List<int>();
        if (spec.Filter is not null)
        {
            int? FilterField(string c)
            {
                if (!columns.TryGetValue(c, out var i)) return null;
                filterFields.Add(i);
                return i;
            }
            try { filter = FilterCompiler.Compile(spec.Filter, FilterField); }
            catch (FilterSyntaxException e) { throw spec.ErrorAt("filter", $"filter: {e.Reason} at position {e.Position + 1}"); }
        }
        return new TablePlan(spec, unit, dims, value, weight, filter, filterFields.Distinct().ToArray());
    }

    /// <summary>
    /// Reads the current record: the packed chunk-local category codes (≥ 0) or <see cref="Skipped"/>. An
    /// empty dimension value gets a code too (the category <see cref="RecomputedTable.MissingLabel"/>): the
    /// row is in no published cell, but the linked structure of secondary suppression needs it.
    /// <paramref name="value"/> is NaN when the value field is empty.
    /// Throws <see cref="DisclosureInputException"/> for a bad field.
    /// </summary>
    public long Read(CsvReader csv, CategoryDictionary[] categories, out double value, out double weight)
    {
        value = double.NaN;
        weight = 1;
        if (_filter is not null && !_filter(csv)) return Skipped;
        long leaf = 0;
        for (var d = 0; d < DimensionFields.Length; d++)
        {
            var f = csv.Field(DimensionFields[d]);
            int code;
            try { code = categories[d].GetOrAdd(f, out _); }
            catch (FormatException) { throw csv.Error(csv.Line, $"column '{Spec.Dimensions[d]}' is not valid UTF-8 text"); }
            if (code > CodeMask)
                throw Spec.ErrorAt("rows", $"column '{Spec.Dimensions[d]}' has more than {CodeMask:N0} categories; refused before aggregation");
            leaf |= (long)code << (BitsPerDimension * d);
        }
        if (csv.Field(UnitField).IsEmpty)
            throw csv.Error(csv.Line, $"the unit column '{Spec.Unit}' is empty; every row must name its unit");
        if (ValueField >= 0)
        {
            var f = csv.Field(ValueField);
            if (!f.IsEmpty) value = Number(csv, f, ValueField, Spec.Value!);
        }
        if (WeightField >= 0)
        {
            var f = csv.Field(WeightField);
            if (f.IsEmpty) throw csv.Error(csv.Line, $"the weight column '{Spec.Weight}' is empty");
            weight = Number(csv, f, WeightField, Spec.Weight!);
            if (weight < 0) throw csv.Error(csv.Line, $"the weight column '{Spec.Weight}' is negative ({weight.ToString(CultureInfo.InvariantCulture)})");
        }
        return leaf;
    }

    private static double Number(CsvReader csv, ReadOnlySpan<byte> f, int field, string column)
    {
        if (double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        throw csv.Error(csv.Line, $"column '{column}' has '{CsvReader.Cut(csv.Decode(f, field))}', which is not a number");
    }
}
