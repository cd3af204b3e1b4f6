namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Builds the cells and additive relations of one n-dimensional table (1 to 3 dimensions; each with
/// categories plus a total). Values, primaries, bounds and costs are set by coordinates (one label per
/// dimension, in dimension order, the total label for a margin). Use <see cref="Build"/> for a single table
/// or <see cref="LinkedTables.Build"/> for several tables over the same population.
/// </summary>
public sealed class TableBuilder
{
    /// <summary>Maximum number of dimensions supported.</summary>
    public const int MaxDimensions = 3;

    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Lower, double Upper)> _primary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Lower, double Upper)> _bounds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _cost = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContributorKnowledge> _largest = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fixed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unpublished = new(StringComparer.Ordinal);

    /// <summary>Creates a table spanned by <paramref name="dimensions"/> (distinct names).</summary>
    public TableBuilder(params SpanningVariable[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Length is < 1 or > MaxDimensions)
        {
            throw new ArgumentException($"A table needs 1 to {MaxDimensions} dimensions.");
        }

        if (dimensions.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count() != dimensions.Length)
        {
            throw new ArgumentException("Dimension names must be distinct.");
        }

        Dimensions = dimensions;
        _idOrder = Enumerable.Range(0, dimensions.Length).OrderBy(d => dimensions[d].Name, StringComparer.Ordinal).ToArray();
    }

    // The dimensions in the order of a cell id (by name, see CellKey), found once: ids are made for every cell many times.
    private readonly int[] _idOrder;

    /// <summary>The dimensions, in coordinate order.</summary>
    public IReadOnlyList<SpanningVariable> Dimensions { get; }

    /// <summary>A-priori bounds applied to every cell without explicit bounds. Default [0, +∞).</summary>
    public (double Lower, double Upper) DefaultBounds { get; set; } = (0, double.PositiveInfinity);

    /// <summary>Canonical cell id of the coordinates (see <see cref="CellKey"/>).</summary>
    public string CellId(params string[] coordinates)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        if (coordinates.Length != Dimensions.Count)
        {
            throw new ArgumentException($"Expected {Dimensions.Count} coordinates, got {coordinates.Length}.");
        }

        // The same id as CellKey.For, without its sorting and lists.
        var parts = new string[Dimensions.Count];
        var count = 0;
        foreach (var d in _idOrder)
        {
            var dim = Dimensions[d];
            if (!dim.Has(coordinates[d]))
            {
                throw new ArgumentException($"'{coordinates[d]}' is not a category of '{dim.Name}'.");
            }

            if (coordinates[d] != dim.TotalLabel)
            {
                parts[count++] = dim.Name + "=" + coordinates[d];
            }
        }

        return count == 0 ? CellKey.GrandTotal : string.Join(';', parts, 0, count);
    }

    /// <summary>Sets the value of a cell (inner cell or margin).</summary>
    public TableBuilder Value(double value, params string[] coordinates)
    {
        _values[CellId(coordinates)] = value;
        return this;
    }

    /// <summary>Marks a cell primary with the given required protection amounts (value units).</summary>
    public TableBuilder Primary(double lowerProtection, double upperProtection, params string[] coordinates)
    {
        _primary[CellId(coordinates)] = (lowerProtection, upperProtection);
        return this;
    }

    /// <summary>Sets the a-priori bounds of one cell.</summary>
    public TableBuilder Bounds(double lower, double upper, params string[] coordinates)
    {
        _bounds[CellId(coordinates)] = (lower, upper);
        return this;
    }

    /// <summary>Records the largest contribution to a cell (known to that contributor), and whether it is the only one.</summary>
    public TableBuilder LargestContributor(double contribution, bool onlyContributor, params string[] coordinates)
    {
        _largest[CellId(coordinates)] = new ContributorKnowledge(contribution, onlyContributor);
        return this;
    }

    /// <summary>
    /// Records the largest contribution to a cell and who makes it: the cells with the same <paramref name="unit"/>,
    /// in this table and in the tables linked with it, have one insider who knows them all.
    /// </summary>
    public TableBuilder LargestContributor(double contribution, bool onlyContributor, int unit, params string[] coordinates)
    {
        _largest[CellId(coordinates)] = new ContributorKnowledge(contribution, onlyContributor) { Unit = unit };
        return this;
    }

    /// <summary>Sets the information-loss cost of one cell.</summary>
    public TableBuilder Cost(double cost, params string[] coordinates)
    {
        _cost[CellId(coordinates)] = cost;
        return this;
    }

    /// <summary>Declares that a cell must stay published (never a secondary).</summary>
    public TableBuilder MustPublish(params string[] coordinates)
    {
        _fixed.Add(CellId(coordinates));
        return this;
    }

    /// <summary>Declares that this table does not publish a cell (e.g. its margins when the table was released without margins).</summary>
    public TableBuilder NotPublished(params string[] coordinates)
    {
        _unpublished.Add(CellId(coordinates));
        return this;
    }

    /// <summary>Computes every margin cell (total or known subtotal) as the sum of the inner cells (inner cells, missing categories included, must all be set).</summary>
    public TableBuilder FillMargins()
    {
        var margins = AllCoordinates().Where(c => c.Select((label, d) => Dimensions[d].IsMargin(label)).Any(t => t)).ToList();
        foreach (var m in margins)
        {
            var sum = 0.0;
            foreach (var inner in InnerCellsUnder(m))
            {
                var id = CellId(inner);
                sum += _values.TryGetValue(id, out var v) ? v : throw new InvalidOperationException($"Inner cell '{id}' has no value.");
            }

            _values[CellId(m)] = sum;
        }

        return this;
    }

    /// <summary>The value set (or filled) for a cell.</summary>
    internal double ValueOf(string[] coordinates) =>
        _values.TryGetValue(CellId(coordinates), out var v) ? v : throw new InvalidOperationException($"Cell '{CellId(coordinates)}' has no value.");

    /// <summary>Builds the problem of this table alone.</summary>
    public SuppressionProblem Build() => LinkedTables.Build(this);

    /// <summary>All coordinate tuples, margins included.</summary>
    internal IEnumerable<string[]> AllCoordinates()
    {
        IEnumerable<string[]> acc = [[]];
        foreach (var dim in Dimensions)
        {
            acc = acc.SelectMany(prefix => dim.CategoriesAndTotal.Select(label => prefix.Append(label).ToArray()));
        }

        return acc.ToList();
    }

    /// <summary>
    /// The additive relations of this table, as coordinate tuples: (total, parts) along every dimension. With a
    /// missing category: Total = Known + Missing and Known = Σ categories, so every cell stays additive.
    /// </summary>
    internal IEnumerable<(string[] Total, List<string[]> Parts)> RelationCoordinates()
    {
        for (var d = 0; d < Dimensions.Count; d++)
        {
            var dim = Dimensions[d];
            foreach (var total in AllCoordinates().Where(c => dim.IsMargin(c[d])))
            {
                IReadOnlyList<string> labels = dim.MissingLabel is not null && total[d] == dim.TotalLabel ? [dim.KnownLabel!, dim.MissingLabel] : dim.Categories;
                var parts = labels.Select(label =>
                {
                    var p = (string[])total.Clone();
                    p[d] = label;
                    return p;
                }).ToList();
                yield return (total, parts);
            }
        }
    }

    /// <summary>The cell for the given coordinates as a <see cref="SuppressionCell"/>.</summary>
    internal SuppressionCell CellAt(string[] coordinates)
    {
        var id = CellId(coordinates);
        if (!_values.TryGetValue(id, out var value))
        {
            throw new InvalidOperationException($"Cell '{id}' has no value (call FillMargins() to compute margins).");
        }

        var (lo, hi) = _bounds.TryGetValue(id, out var b) ? b : DefaultBounds;
        var coordinateMap = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var d = 0; d < Dimensions.Count; d++)
        {
            if (coordinates[d] != Dimensions[d].TotalLabel)
            {
                coordinateMap[Dimensions[d].Name] = coordinates[d];
            }
        }

        var cell = new SuppressionCell(id, value)
        {
            Coordinates = coordinateMap,
            LowerBound = lo,
            UpperBound = hi,
            MaySuppress = !_fixed.Contains(id),
            IsPublished = !_unpublished.Contains(id),
            Cost = _cost.TryGetValue(id, out var cost) ? cost : null,
            LargestContributor = _largest.GetValueOrDefault(id),
        };
        if (_primary.TryGetValue(id, out var prot))
        {
            cell = cell with { IsPrimary = true, LowerProtection = prot.Lower, UpperProtection = prot.Upper };
        }

        return cell;
    }

    private IEnumerable<string[]> InnerCellsUnder(string[] margin)
    {
        IEnumerable<string[]> acc = [[]];
        for (var d = 0; d < Dimensions.Count; d++)
        {
            var labels = Dimensions[d].InnerLabelsUnder(margin[d]);
            acc = acc.SelectMany(prefix => labels.Select(label => prefix.Append(label).ToArray()));
        }

        return acc;
    }
}
