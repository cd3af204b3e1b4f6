namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Merges several tables over the same population into one problem. Cells with the same coordinates
/// (same dimension→category; an absent dimension counts as its total) are one cell, so the relations of
/// all tables constrain one cell set and a pattern cannot be undone by a neighbouring table.
/// </summary>
public static class LinkedTables
{
    /// <summary>Builds one problem from the tables.</summary>
    /// <remarks>
    /// A shared cell must have the same value in every table (relative tolerance 1e-9). It is primary if it
    /// is primary anywhere, with the largest protection; its a-priori bounds are the intersection; it must
    /// stay published if any table says so; it is published if any table publishes it; its cost is the largest given.
    /// </remarks>
    public static SuppressionProblem Build(params TableBuilder[] tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Length == 0)
        {
            throw new ArgumentException("No tables.");
        }

        var dimensions = new Dictionary<string, SpanningVariable>(StringComparer.Ordinal);
        foreach (var dim in tables.SelectMany(t => t.Dimensions))
        {
            if (dimensions.TryGetValue(dim.Name, out var other) && !other.Categories.Order(StringComparer.Ordinal).SequenceEqual(dim.Categories.Order(StringComparer.Ordinal)))
            {
                throw new ArgumentException($"Dimension '{dim.Name}' has different categories in two linked tables.");
            }

            // Units without a value in the dimension are one population cell; both tables must know it, under one label.
            if (other is not null && (other.MissingLabel != dim.MissingLabel || other.KnownLabel != dim.KnownLabel || other.TotalLabel != dim.TotalLabel))
            {
                throw new ArgumentException($"Dimension '{dim.Name}' has a different missing category or total in two linked tables.");
            }

            dimensions[dim.Name] = dim;
        }

        var cells = new Dictionary<string, SuppressionCell>(StringComparer.Ordinal);
        var order = new List<string>();
        var relations = new List<RelationByCellId>();
        foreach (var table in tables)
        {
            foreach (var coordinates in table.AllCoordinates())
            {
                var cell = table.CellAt(coordinates);
                if (cells.TryGetValue(cell.Id, out var existing))
                {
                    cells[cell.Id] = Merge(existing, cell);
                }
                else
                {
                    cells[cell.Id] = cell;
                    order.Add(cell.Id);
                }
            }

            foreach (var (total, parts) in table.RelationCoordinates())
            {
                relations.Add(new RelationByCellId(table.CellId(total), parts.Select(p => table.CellId(p)).ToList()));
            }
        }

        return new SuppressionProblem(order.Select(id => cells[id]), relations);
    }

    private static SuppressionCell Merge(SuppressionCell a, SuppressionCell b)
    {
        if (Math.Abs(a.Value - b.Value) > 1e-9 * (1 + Math.Abs(a.Value)))
        {
            throw new ArgumentException($"Linked tables disagree on cell '{a.Id}': {a.Value} vs {b.Value}.");
        }

        double? cost = a.Cost is null ? b.Cost : b.Cost is null ? a.Cost : Math.Max(a.Cost.Value, b.Cost.Value);
        return a with
        {
            IsPrimary = a.IsPrimary || b.IsPrimary,
            LowerProtection = Math.Max(a.LowerProtection, b.LowerProtection),
            UpperProtection = Math.Max(a.UpperProtection, b.UpperProtection),
            LowerBound = Math.Max(a.LowerBound, b.LowerBound),
            UpperBound = Math.Min(a.UpperBound, b.UpperBound),
            MaySuppress = a.MaySuppress && b.MaySuppress,
            IsPublished = a.IsPublished || b.IsPublished,
            Cost = cost,
            // One population cell has one largest contributor, whichever table reports it.
            LargestContributor = a.LargestContributor ?? b.LargestContributor,
        };
    }
}
