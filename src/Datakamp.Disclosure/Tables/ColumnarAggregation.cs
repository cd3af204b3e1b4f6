using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// The fast path of a cached check: aggregates each table straight from the cache's columns. Every
/// dictionary entry is resolved once (category text to category code, value text to number), then the
/// rows are a loop over small integer codes, instead of every cached row being turned back into field texts.
/// It gives exactly what the row-by-row path gives: without a filter every row is in the table, so the
/// dictionaries' first-seen order is the order in which that path numbers categories, inner cells and
/// units, and the rows are added to the same aggregator in the same order.
/// Only the clean common case is taken. A table with a filter, one whose rows would stop with an input
/// error (a value or weight that is not a number, a negative or empty weight, an empty or invalid unit id or
/// category, a unit with two weights, a category "Total", more cells than the policy allows), or columns
/// the cache keeps in another shape make it give up (null): the row-by-row path then reads the rows and
/// reports exactly what reading the CSV would.
/// </summary>
internal static class ColumnarAggregation
{
    /// <summary>Largest number of category combinations looked up in a dense array (far above any table the policies allow).</summary>
    private const int MaxCombinations = 1 << 24;

    /// <summary>Every spec's table, or null when any of them needs the row-by-row path.</summary>
    public static TableOutcome[]? TryRecompute(MicrodataCache cache, string fileName, IReadOnlyList<TableSpec> specs, Policy policy,
        CancellationToken cancellationToken)
    {
        // No rows: the row-by-row path reports the empty dataset.
        if (cache.Rows == 0) return null;
        var outcomes = new TableOutcome[specs.Count];
        for (var t = 0; t < specs.Count; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TablePlan plan;
            try { plan = TablePlan.Create(specs[t], cache.Header, fileName); }
            catch (DisclosureInputException) { return null; }
            if (plan.Spec.Filter is not null) return null;
            var run = new TableRun(plan, policy, fileName);
            if (!TryAggregate(cache, run, policy.Limits.MaxTableCells)) return null;
            // One table at a time: its per-unit state is garbage once its cells are built.
            outcomes[t] = TableRecomputer.Build(run, fileName);
        }
        return outcomes;
    }

    // Optimised at once: it runs once per table over millions of rows, too few calls for tiered compilation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryAggregate(MicrodataCache cache, TableRun run, long maxCells)
    {
        var plan = run.Plan;
        var rows = (int)cache.Rows;
        var dimensions = plan.DimensionFields.Length;
        if (!cache.TryLoad(plan.DimensionFields)) return false;
        var codes = new CachedCodes[dimensions];
        var sizes = new int[dimensions];
        long combinations = 1;
        for (var d = 0; d < dimensions; d++)
        {
            var column = cache.Column(plan.DimensionFields[d]);
            if (column.Numbers is not null || !TryAddCategories(column, run, d)) return false;
            codes[d] = column.Codes;
            sizes[d] = column.Entries;
            combinations *= sizes[d];
            if (combinations > MaxCombinations) return false;
        }
        if (run.Aggregator.CellCount() > maxCells) return false;

        // A dictionary's entries are distinct texts, so its codes number the units in first-seen order.
        var units = cache.HasValidUnitIds(plan.UnitField) ? cache.TryLoadCodes(plan.UnitField) : null;
        if (units is null) return false;
        var values = plan.ValueField < 0 ? null : CachedNumbers.TryLoad(cache, plan.ValueField);
        if (plan.ValueField >= 0 && values is null) return false;
        var weights = plan.WeightField < 0 ? null : CachedNumbers.TryLoad(cache, plan.WeightField);
        if (plan.WeightField >= 0 && (weights is null || !weights.AllAtLeastZero())) return false;

        // Every row's category combination as a mixed-radix number, built one column at a time; then,
        // in place, its inner cell, numbered in the order the combinations first appear (as row by row).
        var innerOfRow = new int[rows];
        for (var d = 0; d < dimensions; d++) codes[d].AppendDigit(innerOfRow, sizes[d]);
        var innerOfCombination = new int[combinations];
        Array.Fill(innerOfCombination, -1);
        var aggregator = run.Aggregator;
        for (var row = 0; row < rows; row++)
        {
            ref var inner = ref innerOfCombination[innerOfRow[row]];
            if (inner < 0) inner = aggregator.InnerCell(LeafOf(innerOfRow[row], sizes));
            innerOfRow[row] = inner;
        }

        if (units.AreRowNumbers) aggregator.AddRowsThatAreUnits(innerOfRow, values?.PerRow(), weights?.PerRow());
        else
        {
            for (var row = 0; row < rows; row++)
                // False: the unit had another weight on an earlier row, an error the row-by-row path reports.
                if (!aggregator.Add(units[row], innerOfRow[row], values?[row] ?? double.NaN, weights?[row] ?? 1)) return false;
        }
        run.CountRowsAddedWhole(rows);
        return true;
    }

    // The packed category codes (see TablePlan.BitsPerDimension) of a mixed-radix combination.
    private static long LeafOf(int combination, int[] sizes)
    {
        long leaf = 0;
        for (var d = sizes.Length - 1; d >= 0; d--)
        {
            leaf |= (long)(combination % sizes[d]) << (TablePlan.BitsPerDimension * d);
            combination /= sizes[d];
        }
        return leaf;
    }

    // The table's category codes are the dictionary's entries in their order (checked, not assumed).
    private static bool TryAddCategories(CachedColumn column, TableRun run, int dimension)
    {
        var categories = run.Aggregator.Categories[dimension];
        if (column.Entries > TablePlan.CodeMask + 1) return false;
        for (var entry = 0; entry < column.Entries; entry++)
        {
            var text = column.Text(entry);
            if (!Utf8.IsValid(text)) return false;
            var name = Encoding.UTF8.GetString(text);
            if (run.Plan.Spec.Margins && name == TableDimension.TotalLabel) return false;
            if (categories.GetOrAdd(name, out _) != entry) return false;
        }
        return true;
    }

    /// <summary>A value or weight column as a number per row (NaN: empty), each dictionary text parsed once.</summary>
    private sealed class CachedNumbers
    {
        private readonly double[]? _perRow;
        private readonly CachedCodes? _codes;
        private readonly double[] _perEntry = [];

        private CachedNumbers(double[]? perRow, CachedCodes? codes, double[] perEntry)
        {
            _perRow = perRow;
            _codes = codes;
            _perEntry = perEntry;
        }

        public double this[int row] => _perRow is not null ? _perRow[row] : _perEntry[_codes![row]];

        /// <summary>Null when the column is damaged or a text is not a number the CSV path would accept.</summary>
        public static CachedNumbers? TryLoad(MicrodataCache cache, int field)
        {
            if (!cache.TryLoad([field])) return null;
            var column = cache.Column(field);
            if (column.Numbers is { } numbers) return new CachedNumbers(numbers, null, []);
            var perEntry = new double[column.Entries];
            for (var entry = 0; entry < perEntry.Length; entry++)
            {
                var text = column.Text(entry);
                if (text.IsEmpty) perEntry[entry] = double.NaN;
                else if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) perEntry[entry] = v;
                else return null;
            }
            return new CachedNumbers(null, column.Codes, perEntry);
        }

        /// <summary>The number of every row (the cached doubles themselves when the column holds numbers).</summary>
        public double[] PerRow()
        {
            if (_perRow is not null) return _perRow;
            var numbers = new double[_codes!.Rows];
            for (var row = 0; row < numbers.Length; row++) numbers[row] = _perEntry[_codes[row]];
            return numbers;
        }

        /// <summary>True when no row is empty or negative (every entry of a dictionary is some row's).</summary>
        public bool AllAtLeastZero()
        {
            foreach (var v in _perRow ?? _perEntry)
                if (!(v >= 0)) return false;
            return true;
        }
    }
}
