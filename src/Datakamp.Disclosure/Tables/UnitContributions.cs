using System.Runtime.InteropServices;
using Datakamp.Disclosure.Microdata;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Phase 1 of the aggregation, per table: every unit's contribution, summed over its rows. Most units
/// (persons in a persons table) fall in one inner cell, so the common case is three dense arrays indexed
/// by unit code: the unit's cell, its summed value and its weight (12-20 bytes a unit, no object per unit).
/// A unit seen in a second inner cell moves to a dictionary keyed by (unit, cell): exact, and only paid
/// for by units that really are in several cells (households in an age table, say).
/// When every row is a unit of its own (a persons file, read from the columnar cache), there is nothing
/// to sum: <see cref="OneRowEach"/> uses the rows' own arrays as the units' cells, values and weights.
/// </summary>
internal sealed class UnitContributions(bool magnitude, bool weighted)
{
    private const int SeveralCells = -1;
    private readonly ChunkedArray<int> _cell = new();        // 0: not in the table; inner + 1; or SeveralCells
    private readonly ChunkedArray<double> _sum = new();      // summed value in its one cell; NaN: no value yet
    private readonly ChunkedArray<double> _weight = new();
    private readonly Dictionary<(int Unit, int Inner), double> _several = new();
    private int _capacity;
    private int[]? _innerOfRow;
    private double[]? _valueOfRow;
    private double[]? _weightOfRow;

    /// <summary>
    /// The contributions when unit r is row r and nothing else: its inner cell, value (NaN: missing) and
    /// weight are the row's. The arrays are used as they are, not copied; null values or weights: none.
    /// </summary>
    public static UnitContributions OneRowEach(bool magnitude, bool weighted, int[] innerOfRow, double[]? valueOfRow, double[]? weightOfRow) =>
        new(magnitude, weighted)
        {
            _innerOfRow = innerOfRow,
            _valueOfRow = magnitude ? valueOfRow ?? throw new ArgumentNullException(nameof(valueOfRow)) : null,
            _weightOfRow = weighted ? weightOfRow ?? throw new ArgumentNullException(nameof(weightOfRow)) : null,
            _capacity = innerOfRow.Length,
        };

    /// <summary>Adds a row of <paramref name="unit"/> in inner cell <paramref name="inner"/>; false when its weight differs from an earlier row's.</summary>
    public bool Add(int unit, int inner, double value, double weight)
    {
        if (_innerOfRow is not null) throw new InvalidOperationException("the units of one row each are complete");
        if (unit >= _capacity)
        {
            _capacity = unit + 1;
            _cell.EnsureCapacity(_capacity);
            if (magnitude) _sum.EnsureCapacity(_capacity);
            if (weighted) _weight.EnsureCapacity(_capacity);
        }
        ref var cell = ref _cell[unit];
        if (cell == 0)
        {
            cell = inner + 1;
            if (magnitude) _sum[unit] = value;
            if (weighted) _weight[unit] = weight;
            return true;
        }
        if (weighted && _weight[unit] != weight) return false;
        if (cell == inner + 1)
        {
            if (magnitude) _sum[unit] = Plus(_sum[unit], value);
            return true;
        }
        if (cell != SeveralCells)
        {
            _several.Add((unit, cell - 1), magnitude ? _sum[unit] : double.NaN);
            cell = SeveralCells;
        }
        ref var sum = ref CollectionsMarshal.GetValueRefOrAddDefault(_several, (unit, inner), out var existed);
        sum = existed ? Plus(sum, value) : value;
        return true;
    }

    /// <summary>Units with a slot (some may not be in the table).</summary>
    public int Capacity => _capacity;

    /// <summary>The one inner cell of <paramref name="unit"/>: ≥ 0, or -1 when not in the table, -2 when in several cells.</summary>
    public int InnerOf(int unit) => _innerOfRow is { } inner ? inner[unit] : _cell[unit] switch { 0 => -1, SeveralCells => -2, var c => c - 1 };

    /// <summary>Summed value of a unit in one cell (NaN: no value); only for magnitude tables.</summary>
    public double SumOf(int unit) => !magnitude ? double.NaN : _valueOfRow is { } values ? values[unit] : _sum[unit];

    public double WeightOf(int unit) => !weighted ? 1 : _weightOfRow is { } weights ? weights[unit] : _weight[unit];

    /// <summary>Contributions of the units in several cells, grouped by unit (ascending).</summary>
    public IEnumerable<IGrouping<int, (int Inner, double Sum)>> SeveralCellUnits() =>
        _several.OrderBy(kv => kv.Key.Unit).GroupBy(kv => kv.Key.Unit, kv => (kv.Key.Inner, kv.Value));

    // NaN stands for "no value yet": missing values are left out, as in the statistic itself.
    private static double Plus(double sum, double value) => double.IsNaN(value) ? sum : double.IsNaN(sum) ? value : sum + value;
}
