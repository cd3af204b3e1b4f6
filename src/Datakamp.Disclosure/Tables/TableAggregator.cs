using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Two-phase aggregation of one table. Phase 1 (while reading, <see cref="Add"/>): rows are counted per
/// inner cell and summed per unit (<see cref="UnitContributions"/>), so a unit's several rows are one
/// contribution. Phase 2 (<see cref="Build"/>): each unit in a single inner cell is added to that cell;
/// the margins then take those inner cells whole (a unit in one inner cell is in exactly one cell of
/// every margin, as the same single contributor), which is 2^d merges per inner cell instead of 2^d
/// additions per unit. Units in several inner cells are added last, per margin cell with the sum of
/// their parts in it, so they still count once there.
/// Memory: per unit 4 bytes (count) to 20 bytes (weighted magnitude) plus the unit registry, per cell
/// a few scalars and the top contributions; for median and percentiles every cell also keeps its unit
/// values (up to 2^d times the units with margins), which is the price of exact percentiles.
/// </summary>
internal sealed class TableAggregator
{
    private readonly Statistic _statistic;
    private readonly bool _margins;
    private readonly bool _weighted;
    private readonly int _topK;
    private UnitContributions _units;
    private readonly Dictionary<long, int> _innerOfLeaf = new();
    private readonly List<long> _innerLeaves = [];
    private readonly List<long> _innerRows = [];
    private readonly List<long> _innerMissingRows = [];

    public TableAggregator(int dimensions, Statistic statistic, bool margins, bool weighted, int topK)
    {
        Categories = Enumerable.Range(0, dimensions).Select(_ => new CategoryDictionary()).ToArray();
        _statistic = statistic;
        _margins = margins;
        _weighted = weighted;
        _topK = Math.Max(topK, 2);
        _units = new UnitContributions(statistic.IsMagnitude, weighted);
    }

    /// <summary>The categories of every dimension, coded in the order they were first seen.</summary>
    public CategoryDictionary[] Categories { get; }

    /// <summary>Number of cells the table has with the categories seen so far (margins included).</summary>
    public long CellCount()
    {
        long n = 1;
        // Rows without a category are in no published cell, so their category does not count towards the limit.
        foreach (var c in Categories) n *= c.Count - (c.Find(RecomputedTable.MissingLabel) >= 0 ? 1 : 0) + (_margins ? 1 : 0);
        return n;
    }

    /// <summary>Rows added whose value is empty in at least one dimension (category <see cref="RecomputedTable.MissingLabel"/>).</summary>
    public long RowsWithMissingCategory()
    {
        var missing = MissingCodes();
        long rows = 0;
        for (var i = 0; i < _innerLeaves.Count; i++)
            if (HasMissing(_innerLeaves[i], missing)) rows += _innerRows[i];
        return rows;
    }

    /// <summary>Per dimension the code of <see cref="RecomputedTable.MissingLabel"/>, or -1 when no row had an empty value there.</summary>
    private int[] MissingCodes() => Categories.Select(c => c.Find(RecomputedTable.MissingLabel)).ToArray();

    private static bool HasMissing(long leaf, int[] missing)
    {
        for (var d = 0; d < missing.Length; d++)
            if (missing[d] >= 0 && (int)((leaf >> (TablePlan.BitsPerDimension * d)) & TablePlan.CodeMask) == missing[d]) return true;
        return false;
    }

    /// <summary>The inner-cell number of a packed key of category codes (see <see cref="TablePlan.BitsPerDimension"/>).</summary>
    public int InnerCell(long leaf)
    {
        if (_innerOfLeaf.TryGetValue(leaf, out var inner)) return inner;
        inner = _innerLeaves.Count;
        _innerOfLeaf.Add(leaf, inner);
        _innerLeaves.Add(leaf);
        _innerRows.Add(0);
        _innerMissingRows.Add(0);
        return inner;
    }

    /// <summary>Adds one row (<paramref name="value"/> NaN: missing). False when the unit had another weight on an earlier row.</summary>
    public bool Add(int unit, int inner, double value, double weight)
    {
        if (!_units.Add(unit, inner, value, weight)) return false;
        _innerRows[inner]++;
        if (double.IsNaN(value)) _innerMissingRows[inner]++;
        return true;
    }

    /// <summary>
    /// Adds every row at once when each row is a unit of its own (unit r is row r): row r is in inner cell
    /// <paramref name="innerOfRow"/>[r] with value <paramref name="valueOfRow"/>[r] (NaN: missing; null: no
    /// value column) and weight <paramref name="weightOfRow"/>[r] (null: unweighted). The same as adding
    /// the rows one by one with <see cref="Add"/>, without summing per unit. Only on an empty aggregator.
    /// </summary>
    // Optimised at once: it runs once per table over millions of units, too few calls for tiered compilation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddRowsThatAreUnits(int[] innerOfRow, double[]? valueOfRow, double[]? weightOfRow)
    {
        if (_units.Capacity > 0) throw new InvalidOperationException("rows were added already");
        _units = UnitContributions.OneRowEach(_statistic.IsMagnitude, _weighted, innerOfRow, valueOfRow, weightOfRow);
        var rows = CollectionsMarshal.AsSpan(_innerRows);
        var missing = CollectionsMarshal.AsSpan(_innerMissingRows);
        for (var row = 0; row < innerOfRow.Length; row++)
        {
            rows[innerOfRow[row]]++;
            if (valueOfRow is null || double.IsNaN(valueOfRow[row])) missing[innerOfRow[row]]++;
        }
    }

    /// <summary>
    /// The published table: rows with an empty dimension value are in no cell, and its margins are the sums of
    /// its categories (what an analyst's crosstab with margins shows). When such rows exist, the table also
    /// carries <see cref="RecomputedTable.WithMissingCategory"/>: the same table over every row, with the
    /// empty value as a category of its own and margins over all rows, for secondary suppression.
    /// </summary>
    public RecomputedTable Build(TableSpec spec, long rowsRead, long rowsUsed, long rowsWithMissingCategory)
    {
        var missing = MissingCodes();
        // The two tables only read the aggregation, so they are built side by side.
        var withMissing = missing.Any(code => code >= 0)
            ? Task.Run(() => BuildTable(spec, missing, includeMissing: true, margins: true, rowsRead, rowsUsed + rowsWithMissingCategory, 0))
            : null;
        var table = BuildTable(spec, missing, includeMissing: false, _margins, rowsRead, rowsUsed, rowsWithMissingCategory);
        table.WithMissingCategory = withMissing?.GetAwaiter().GetResult();
        return table;
    }

    // Optimised at once: it runs once per table over millions of units, too few calls for tiered compilation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RecomputedTable BuildTable(TableSpec spec, int[] missing, bool includeMissing, bool margins, long rowsRead, long rowsUsed, long rowsWithMissingCategory)
    {
        var dims = Categories.Length;
        // Output order of categories, and the rank of every code in it (-1: the empty value, left out of the published table).
        var rank = new int[dims][];
        var dimensions = new TableDimension[dims];
        for (var d = 0; d < dims; d++)
        {
            var names = Categories[d].Names;
            var order = Enumerable.Range(0, names.Count).Where(code => code != missing[d]).ToArray();
            var numbers = names.Select(n => double.TryParse(n, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN).ToArray();
            if (order.All(code => double.IsFinite(numbers[code])))
                Array.Sort(order, (a, b) => numbers[a] != numbers[b] ? numbers[a].CompareTo(numbers[b]) : string.CompareOrdinal(names[a], names[b]));
            else
                Array.Sort(order, (a, b) => string.CompareOrdinal(names[a], names[b]));
            // The empty value goes last, so a category has the same index with and without it.
            if (includeMissing && missing[d] >= 0) order = [.. order, missing[d]];
            rank[d] = Enumerable.Repeat(-1, names.Count).ToArray();
            for (var i = 0; i < order.Length; i++) rank[d][order[i]] = i;
            dimensions[d] = new TableDimension(spec.Dimensions[d], order.Select(i => names[i]).ToArray());
        }

        var sizes = dimensions.Select(x => x.Categories.Count + (margins ? 1 : 0)).ToArray();
        var strides = new int[dims];
        var cellCount = 1;
        for (var d = dims - 1; d >= 0; d--) { strides[d] = cellCount; cellCount *= sizes[d]; }
        var masks = margins ? 1 << dims : 1;

        // Cell index of every inner cell, and of the cell it falls in with the dimensions of a mask replaced by
        // Total; -1 for an inner cell with an empty value when those are left out (then in no margin either).
        int CellOf(int inner, int mask)
        {
            var leaf = _innerLeaves[inner];
            var cell = 0;
            for (var d = 0; d < dims; d++)
            {
                var r = rank[d][(int)((leaf >> (TablePlan.BitsPerDimension * d)) & TablePlan.CodeMask)];
                if (r < 0) return -1;
                var c = (mask & (1 << d)) != 0 ? sizes[d] - 1 : r;
                cell += c * strides[d];
            }
            return cell;
        }
        var innerCell = Enumerable.Range(0, _innerLeaves.Count).Select(i => CellOf(i, 0)).ToArray();

        var acc = new CellAccumulator[cellCount];
        var top = new double[(long)cellCount * _topK];
        Span<double> Top(int cell) => top.AsSpan(cell * _topK, _topK);
        var magnitude = _statistic.IsMagnitude;
        var keepValues = _statistic.Kind is StatisticKind.Median or StatisticKind.Percentile;
        var values = keepValues ? new List<double>?[cellCount] : null;

        for (var i = 0; i < innerCell.Length; i++)
        {
            if (innerCell[i] < 0) continue;
            acc[innerCell[i]].Rows = _innerRows[i];
            acc[innerCell[i]].MissingRows = _innerMissingRows[i];
        }

        // Units in one inner cell (the common case): straight into that cell.
        for (var unit = 0; unit < _units.Capacity; unit++)
        {
            var inner = _units.InnerOf(unit);
            if (inner < 0 || innerCell[inner] < 0) continue;
            var cell = innerCell[inner];
            var v = _units.SumOf(unit);
            acc[cell].AddUnit(Top(cell), magnitude, unit, v, _units.WeightOf(unit));
            if (values is not null && !double.IsNaN(v)) (values[cell] ??= []).Add(v);
        }

        // Margins take those inner cells whole (and their row counts, which are per row, not per unit).
        for (var i = 0; i < innerCell.Length; i++)
            for (var mask = 1; mask < masks && innerCell[i] >= 0; mask++)
            {
                var from = innerCell[i];
                var to = CellOf(i, mask);
                acc[to].Merge(Top(to), in acc[from], Top(from));
                if (values?[from] is { } list) (values[to] ??= []).AddRange(list);
            }

        // Units in several inner cells: once per cell of every margin, with the sum of their parts in it.
        var cells = new List<int>();
        var sums = new List<double>();
        foreach (var unit in _units.SeveralCellUnits())
        {
            var weight = _units.WeightOf(unit.Key);
            for (var mask = 0; mask < masks; mask++)
            {
                cells.Clear();
                sums.Clear();
                foreach (var (inner, sum) in unit)
                {
                    var cell = CellOf(inner, mask);
                    if (cell < 0) continue;
                    var at = cells.IndexOf(cell);
                    if (at < 0) { cells.Add(cell); sums.Add(sum); }
                    else sums[at] = double.IsNaN(sum) ? sums[at] : double.IsNaN(sums[at]) ? sum : sums[at] + sum;
                }
                for (var k = 0; k < cells.Count; k++)
                {
                    acc[cells[k]].AddUnit(Top(cells[k]), magnitude, unit.Key, sums[k], weight);
                    if (values is not null && !double.IsNaN(sums[k])) (values[cells[k]] ??= []).Add(sums[k]);
                }
            }
        }

        var result = new TableCell[cellCount];
        for (var index = 0; index < cellCount; index++)
        {
            var rest = index;
            var coordinates = new int[dims];
            for (var d = 0; d < dims; d++)
            {
                var c = rest / strides[d];
                rest %= strides[d];
                coordinates[d] = margins && c == sizes[d] - 1 ? TableCell.Total : c;
            }
            result[index] = new TableCell(index, coordinates, Evidence(in acc[index], Top(index), values?[index]));
        }
        return new RecomputedTable(spec, dimensions, margins, result, rowsRead, rowsUsed, rowsWithMissingCategory);
    }

    private CellEvidence Evidence(in CellAccumulator a, ReadOnlySpan<double> top, List<double>? values)
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
            _weighted ? a.WeightTotal : null, _weighted && _statistic.IsMagnitude ? a.WeightedSum : null, value)
        {
            LargestUnit = a.LargestUnit,
        };
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
}
