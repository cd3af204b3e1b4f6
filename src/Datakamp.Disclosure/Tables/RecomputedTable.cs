using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// The table recomputed on the host from microdata: every combination of categories (including empty
/// ones, which matter for zeros and group disclosure) and, with margins, every combination with "Total"
/// for any subset of dimensions, up to the grand total. Cells are stored row-major over the dimensions.
/// </summary>
public sealed class RecomputedTable
{
    private readonly int[] _sizes;
    private readonly int[] _strides;

    internal RecomputedTable(TableSpec spec, IReadOnlyList<TableDimension> dimensions, bool margins, IReadOnlyList<TableCell> cells,
        long rowsRead, long rowsUsed, long rowsWithMissingCategory)
    {
        Spec = spec;
        Dimensions = dimensions;
        HasMargins = margins;
        Cells = cells;
        RowsRead = rowsRead;
        RowsUsed = rowsUsed;
        RowsWithMissingCategory = rowsWithMissingCategory;
        _sizes = dimensions.Select(d => d.Categories.Count + (margins ? 1 : 0)).ToArray();
        _strides = new int[_sizes.Length];
        var stride = 1;
        for (var d = _sizes.Length - 1; d >= 0; d--) { _strides[d] = stride; stride *= _sizes[d]; }
        HasNegativeValues = cells.Any(c => c.Evidence.Negatives > 0);
    }

    public TableSpec Spec { get; }
    public Statistic Statistic => Spec.Statistic;
    public IReadOnlyList<TableDimension> Dimensions { get; }
    public bool HasMargins { get; }
    public IReadOnlyList<TableCell> Cells { get; }

    /// <summary>Data rows in the microdata file.</summary>
    public long RowsRead { get; }

    /// <summary>Rows that passed the filter and had all categories.</summary>
    public long RowsUsed { get; }

    /// <summary>Rows that passed the filter but had an empty dimension value; they are in no cell.</summary>
    public long RowsWithMissingCategory { get; }

    /// <summary>The category of rows with an empty value in a dimension (only in <see cref="WithMissingCategory"/>; a real category is never empty).</summary>
    public const string MissingLabel = "";

    /// <summary>
    /// Null unless some rows have an empty dimension value. Then: the same table over every matching row, never
    /// published, with the empty value as the last category (<see cref="MissingLabel"/>) of each dimension where it
    /// occurs and margins over all rows (the population totals a table without that dimension shows). Secondary
    /// suppression links tables through it; the published table's margins are its "known categories" subtotals.
    /// </summary>
    public RecomputedTable? WithMissingCategory { get; internal set; }

    /// <summary>True when any unit contributes a negative value somewhere (then 0 is no lower bound for an attacker).</summary>
    public bool HasNegativeValues { get; }

    /// <summary>The cell at the given coordinates (category index or <see cref="TableCell.Total"/> per dimension).</summary>
    public TableCell this[params int[] coordinates] => Cells[IndexOf(coordinates)];

    /// <summary>Cell index of the given coordinates.</summary>
    public int IndexOf(ReadOnlySpan<int> coordinates)
    {
        if (coordinates.Length != _sizes.Length) throw new ArgumentException("one coordinate per dimension is needed", nameof(coordinates));
        var index = 0;
        for (var d = 0; d < _sizes.Length; d++)
        {
            var c = coordinates[d];
            if (c == TableCell.Total)
            {
                if (!HasMargins) throw new ArgumentException("this table has no margins", nameof(coordinates));
                c = Dimensions[d].Categories.Count;
            }
            else if (c < 0 || c >= Dimensions[d].Categories.Count) throw new ArgumentOutOfRangeException(nameof(coordinates));
            index += c * _strides[d];
        }
        return index;
    }

    /// <summary>Category label per dimension ("Total" for margins).</summary>
    public IReadOnlyList<string> Labels(TableCell cell) =>
        cell.Coordinates.Select((c, d) => c == TableCell.Total ? TableDimension.TotalLabel : Dimensions[d].Categories[c]).ToArray();

    /// <summary>A stable readable id such as <c>wijk=Noord|age_band=Total</c>.</summary>
    public string CellId(TableCell cell) =>
        string.Join("|", Labels(cell).Select((l, d) => $"{Dimensions[d].Column}={l}"));

    /// <summary>
    /// For additive statistics with margins: for every dimension and every fixing of the other coordinates
    /// (categories or Total), the Total cell equals the sum of the category cells. Empty for other tables.
    /// </summary>
    public IEnumerable<AdditiveRelation> AdditiveRelations()
    {
        if (!HasMargins || !Statistic.IsAdditive) yield break;
        foreach (var cell in Cells)
            for (var d = 0; d < _sizes.Length; d++)
            {
                if (cell.Coordinates[d] != TableCell.Total) continue;
                var coords = cell.Coordinates.ToArray();
                var parts = new int[Dimensions[d].Categories.Count];
                for (var k = 0; k < parts.Length; k++) { coords[d] = k; parts[k] = IndexOf(coords); }
                yield return new AdditiveRelation(cell.Index, parts);
            }
    }
}
