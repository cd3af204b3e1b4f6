using System.Globalization;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Two-phase aggregation. Phase 1 (while reading) sums rows into one entry per (unit, inner cell), so a
/// unit's several rows are one contribution. Phase 2 (<see cref="Build"/>) walks the units once and adds
/// each unit's contribution to its inner cell and to every margin cell it belongs to (a unit appearing in
/// two inner cells of one margin counts once there, with the sum of both contributions).
/// Memory: one entry (~48 bytes) per (unit, inner cell), a few scalars per cell plus the top contributions;
/// for median and percentiles every cell also keeps its unit values (8 bytes per unit per cell it is in,
/// i.e. up to 2^d times the units with margins), which is the price of exact percentiles.
/// </summary>
internal sealed class TableAggregator
{
    private const int BitsPerDimension = 21;
    private const long CodeMask = (1L << BitsPerDimension) - 1;

    private readonly Statistic _statistic;
    private readonly bool _margins;
    private readonly bool _weighted;
    private readonly int _topK;
    private readonly Dictionary<(int Unit, long Leaf), int> _index = new();
    private Entry[] _entries = new Entry[1024];
    private int _count;

    public TableAggregator(int dimensions, Statistic statistic, bool margins, bool weighted, int topK)
    {
        Categories = Enumerable.Range(0, dimensions).Select(_ => new CategoryDictionary()).ToArray();
        _statistic = statistic;
        _margins = margins;
        _weighted = weighted;
        _topK = Math.Max(topK, 2);
    }

    public CategoryDictionary[] Categories { get; }

    public UnitRegistry Units { get; } = new();

    /// <summary>Number of cells the table has with the categories seen so far (margins included).</summary>
    public long CellCount()
    {
        long n = 1;
        foreach (var c in Categories) n *= c.Count + (_margins ? 1 : 0);
        return n;
    }

    /// <summary>Adds one row. Returns false when the unit already had a different weight in this cell.</summary>
    public bool Add(int unit, ReadOnlySpan<int> codes, bool hasValue, double value, double weight)
    {
        long leaf = 0;
        for (var d = 0; d < codes.Length; d++) leaf |= (long)codes[d] << (BitsPerDimension * d);
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_index, (unit, leaf), out var exists);
        if (!exists)
        {
            if (_count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
            slot = _count++;
            _entries[slot] = new Entry { Unit = unit, Leaf = leaf, Weight = weight };
        }
        ref var e = ref _entries[slot];
        if (exists && e.Weight != weight) return false;
        e.Rows++;
        if (hasValue) { e.ValueRows++; e.Sum += value; }
        else e.MissingRows++;
        return true;
    }

    public RecomputedTable Build(TableSpec spec, long rowsRead, long rowsUsed, long rowsWithMissingCategory)
    {
        var dims = Categories.Length;
        // Output order of categories, and the rank of every interned code in it.
        var rank = new int[dims][];
        var dimensions = new TableDimension[dims];
        for (var d = 0; d < dims; d++)
        {
            var names = Categories[d].Names;
            var order = Enumerable.Range(0, names.Count).ToArray();
            var numbers = names.Select(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN).ToArray();
            if (numbers.All(double.IsFinite))
                Array.Sort(order, (a, b) => numbers[a] != numbers[b] ? numbers[a].CompareTo(numbers[b]) : string.CompareOrdinal(names[a], names[b]));
            else
                Array.Sort(order, (a, b) => string.CompareOrdinal(names[a], names[b]));
            rank[d] = new int[names.Count];
            for (var i = 0; i < order.Length; i++) rank[d][order[i]] = i;
            dimensions[d] = new TableDimension(spec.Dimensions[d], order.Select(i => names[i]).ToArray());
        }

        var sizes = dimensions.Select(x => x.Categories.Count + (_margins ? 1 : 0)).ToArray();
        var strides = new int[dims];
        var cellCount = 1;
        for (var d = dims - 1; d >= 0; d--) { strides[d] = cellCount; cellCount *= sizes[d]; }

        var acc = new Accumulator[cellCount];
        var top = new double[(long)cellCount * _topK];
        var keepValues = _statistic.Kind is StatisticKind.Median or StatisticKind.Percentile;
        var values = keepValues ? new List<double>?[cellCount] : null;

        // Group entries by unit (counting sort: O(entries)).
        var unitCount = Units.Count;
        var start = new int[unitCount + 1];
        for (var i = 0; i < _count; i++) start[_entries[i].Unit + 1]++;
        for (var u = 0; u < unitCount; u++) start[u + 1] += start[u];
        var order2 = new int[_count];
        var fill = (int[])start.Clone();
        for (var i = 0; i < _count; i++) order2[fill[_entries[i].Unit]++] = i;

        var masks = _margins ? 1 << dims : 1;
        var scratchCell = new List<int>();
        var scratch = new List<Entry>();
        for (var u = 0; u < unitCount; u++)
        {
            var first = order2[start[u]];
            for (var k = start[u] + 1; k < start[u + 1]; k++)
                if (_entries[order2[k]].Weight != _entries[first].Weight)
                    throw new DisclosureInputException(spec.SourceFile, spec.KeyLines.GetValueOrDefault("weight"),
                        $"unit '{Units.Describe(u)}' has different weights on different rows; a unit must have one weight");
            for (var mask = 0; mask < masks; mask++)
            {
                scratchCell.Clear();
                scratch.Clear();
                for (var k = start[u]; k < start[u + 1]; k++)
                {
                    ref readonly var e = ref _entries[order2[k]];
                    var cell = 0;
                    for (var d = 0; d < dims; d++)
                    {
                        var c = (mask & (1 << d)) != 0 ? sizes[d] - 1 : rank[d][(int)((e.Leaf >> (BitsPerDimension * d)) & CodeMask)];
                        cell += c * strides[d];
                    }
                    var at = scratchCell.IndexOf(cell);
                    if (at < 0) { scratchCell.Add(cell); scratch.Add(e); }
                    else
                    {
                        var s = scratch[at];
                        s.Rows += e.Rows; s.ValueRows += e.ValueRows; s.MissingRows += e.MissingRows; s.Sum += e.Sum;
                        scratch[at] = s;
                    }
                }
                for (var i = 0; i < scratchCell.Count; i++)
                    AddUnit(ref acc[scratchCell[i]], top.AsSpan(scratchCell[i] * _topK, _topK), values, scratchCell[i], scratch[i]);
            }
        }

        var cells = new TableCell[cellCount];
        for (var index = 0; index < cellCount; index++)
        {
            var rest = index;
            var coordinates = new int[dims];
            for (var d = 0; d < dims; d++)
            {
                var c = rest / strides[d];
                rest %= strides[d];
                coordinates[d] = _margins && c == sizes[d] - 1 ? TableCell.Total : c;
            }
            cells[index] = new TableCell(index, coordinates, Evidence(in acc[index], top.AsSpan(index * _topK, _topK), values?[index]));
        }
        return new RecomputedTable(spec, dimensions, _margins, cells, rowsRead, rowsUsed, rowsWithMissingCategory);
    }

    private void AddUnit(ref Accumulator a, Span<double> top, List<double>?[]? values, int cell, in Entry e)
    {
        a.Units++;
        a.Rows += e.Rows;
        a.MissingRows += e.MissingRows;
        if (!_statistic.IsMagnitude) { a.WeightTotal += e.Weight; return; }
        if (e.ValueRows == 0) return;
        var v = e.Sum;
        a.UnitsWithValue++;
        a.Sum += v;
        a.SumAbs += Math.Abs(v);
        if (v < 0) a.Negatives++;
        a.WeightTotal += e.Weight;
        a.WeightedSum += e.Weight * v;
        if (a.UnitsWithValue == 1) { a.Min = v; a.Max = v; }
        else { a.Min = Math.Min(a.Min, v); a.Max = Math.Max(a.Max, v); }
        var delta = v - a.Mean;
        a.Mean += delta / a.UnitsWithValue;
        a.M2 += delta * (v - a.Mean);
        // Keep the largest absolute contributions, descending.
        var abs = Math.Abs(v);
        var n = Math.Min(a.TopCount, top.Length);
        if (n < top.Length || abs > top[n - 1])
        {
            var pos = n < top.Length ? n : n - 1;
            while (pos > 0 && top[pos - 1] < abs) { top[pos] = top[pos - 1]; pos--; }
            top[pos] = abs;
            if (a.TopCount < top.Length) a.TopCount++;
        }
        if (values is not null) (values[cell] ??= []).Add(v);
    }

    private CellEvidence Evidence(in Accumulator a, ReadOnlySpan<double> top, List<double>? values)
    {
        var valued = a.UnitsWithValue;
        double? value = _statistic.Kind switch
        {
            StatisticKind.Count => _weighted ? a.WeightTotal : a.Units,
            StatisticKind.Sum => a.Units == 0 ? null : _weighted ? a.WeightedSum : a.Sum,
            StatisticKind.Mean => valued == 0 ? null : _weighted ? a.WeightedSum / a.WeightTotal : a.Sum / valued,
            StatisticKind.Median or StatisticKind.Percentile => valued == 0 || values is null ? null : Quantile(values, _statistic.Quantile),
            StatisticKind.Min => valued == 0 ? null : a.Min,
            StatisticKind.Max => valued == 0 ? null : a.Max,
            StatisticKind.Std => valued < 2 ? null : Math.Sqrt(Math.Max(a.M2, 0) / (valued - 1)),
            _ => double.NaN,
        };
        return new CellEvidence(
            a.Units, _statistic.IsMagnitude ? valued : a.Units, a.Rows, a.MissingRows, a.Sum, a.SumAbs,
            top[..Math.Min(a.TopCount, top.Length)].ToArray(), a.Negatives,
            valued == 0 ? null : a.Min, valued == 0 ? null : a.Max,
            _weighted ? a.WeightTotal : null, _weighted && _statistic.IsMagnitude ? a.WeightedSum : null, value);
    }

    /// <summary>
    /// Quantile with linear interpolation between order statistics (numpy/pandas default, R type 7):
    /// h = (n − 1)·q, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
    /// </summary>
    internal static double Quantile(List<double> values, double q)
    {
        values.Sort();
        var h = (values.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        if (lo >= values.Count - 1) return values[^1];
        return values[lo] + (h - lo) * (values[lo + 1] - values[lo]);
    }

    private struct Entry
    {
        public int Unit;
        public long Leaf;
        public long Rows;
        public long ValueRows;
        public long MissingRows;
        public double Sum;
        public double Weight;
    }

    private struct Accumulator
    {
        public int Units, UnitsWithValue, Negatives, TopCount;
        public long Rows, MissingRows;
        public double Sum, SumAbs, WeightTotal, WeightedSum, Min, Max, Mean, M2;
    }
}
