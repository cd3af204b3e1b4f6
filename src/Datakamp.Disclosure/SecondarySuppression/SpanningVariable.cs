namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// A spanning variable of a table as the solver sees it (tau-Argus's term): its categories plus one total margin
/// (<see cref="TotalLabel"/>), and the category of units without a value. The table's own
/// <see cref="Tables.TableDimension"/> (a column and its categories, as published) becomes one of these in
/// <see cref="SecondarySuppressionStep"/>.
/// Linked tables that share a dimension must use the same name and the same categories.
/// When some units have no value in the dimension, <see cref="MissingLabel"/> is their category and
/// <see cref="KnownLabel"/> the subtotal of the listed categories: Total = Known + Missing, Known = Σ
/// categories. A table with the dimension publishes the categories and Known (its margin); the missing
/// category and the Total (which tables without the dimension publish) are population cells it does not show.
/// </summary>
public sealed record SpanningVariable
{
    /// <summary>Creates a dimension; names and categories may not contain '=' or ';'.</summary>
    /// <param name="name">The dimension's name.</param>
    /// <param name="categories">Its published categories.</param>
    /// <param name="totalLabel">The label of the margin over every unit.</param>
    /// <param name="missingLabel">The category of units without a value here (null: every unit has one); needs <paramref name="knownLabel"/>.</param>
    /// <param name="knownLabel">The subtotal of <paramref name="categories"/> when <paramref name="missingLabel"/> is set.</param>
    public SpanningVariable(string name, IReadOnlyList<string> categories, string totalLabel = "Total", string? missingLabel = null, string? knownLabel = null)
    {
        if ((missingLabel is null) != (knownLabel is null))
        {
            throw new ArgumentException($"Dimension '{name}' needs both a missing and a known label, or neither.");
        }

        if (missingLabel is not null)
        {
            ArgumentException.ThrowIfNullOrEmpty(missingLabel);
            ArgumentException.ThrowIfNullOrEmpty(knownLabel);
            CheckName(missingLabel);
            CheckName(knownLabel!);
            if (new[] { totalLabel, missingLabel, knownLabel }.Distinct(StringComparer.Ordinal).Count() != 3 || categories.Contains(missingLabel) || categories.Contains(knownLabel))
            {
                throw new ArgumentException($"The total, missing and known labels of '{name}' must differ from each other and from every category.");
            }
        }

        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentException.ThrowIfNullOrEmpty(totalLabel);
        CheckName(name);
        if (categories.Count == 0)
        {
            throw new ArgumentException($"Dimension '{name}' has no categories.");
        }

        foreach (var c in categories)
        {
            ArgumentException.ThrowIfNullOrEmpty(c);
            CheckName(c);
            if (c == totalLabel)
            {
                throw new ArgumentException($"Category '{c}' of '{name}' equals the total label.");
            }
        }

        if (categories.Distinct(StringComparer.Ordinal).Count() != categories.Count)
        {
            throw new ArgumentException($"Dimension '{name}' repeats a category.");
        }

        Name = name;
        Categories = categories.ToArray();
        _categorySet = categories.ToHashSet(StringComparer.Ordinal);
        TotalLabel = totalLabel;
        MissingLabel = missingLabel;
        KnownLabel = knownLabel;
    }

    // The categories again, to answer Has without a search (a table's cells are looked up by label thousands of times).
    private readonly HashSet<string> _categorySet;

    /// <summary>Dimension name (e.g. "sector").</summary>
    public string Name { get; }

    /// <summary>The categories, without the total.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Label of the margin (default "Total").</summary>
    public string TotalLabel { get; }

    /// <summary>The category of units without a value in this dimension (no table publishes it), or null when every unit has one.</summary>
    public string? MissingLabel { get; }

    /// <summary>With <see cref="MissingLabel"/>: the subtotal of <see cref="Categories"/> (Total minus the missing category).</summary>
    public string? KnownLabel { get; }

    /// <summary>The margin a table with this dimension publishes: the known subtotal when units can lack a value, else the total.</summary>
    public string PublishedTotalLabel => KnownLabel ?? TotalLabel;

    /// <summary>Categories, then the missing category and the known subtotal (when set), then the total label.</summary>
    public IEnumerable<string> CategoriesAndTotal =>
        MissingLabel is null ? Categories.Append(TotalLabel) : Categories.Append(MissingLabel).Append(KnownLabel!).Append(TotalLabel);

    /// <summary>True when <paramref name="label"/> is a category, the missing category, the known subtotal or the total.</summary>
    public bool Has(string label) => label == TotalLabel || (MissingLabel is not null && (label == MissingLabel || label == KnownLabel)) || _categorySet.Contains(label);

    /// <summary>True for the total and the known subtotal: labels whose cells are sums of other cells.</summary>
    internal bool IsMargin(string label) => label == TotalLabel || (KnownLabel is not null && label == KnownLabel);

    /// <summary>The labels a margin label sums (<see cref="KnownLabel"/>: the categories; the total: they and the missing category), or the label itself.</summary>
    internal IReadOnlyList<string> InnerLabelsUnder(string label) =>
        label == TotalLabel ? (MissingLabel is null ? Categories : [.. Categories, MissingLabel])
        : KnownLabel is not null && label == KnownLabel ? Categories
        : [label];

    private static void CheckName(string s)
    {
        if (s.Contains('=', StringComparison.Ordinal) || s.Contains(';', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{s}' contains '=' or ';'.");
        }
    }
}
