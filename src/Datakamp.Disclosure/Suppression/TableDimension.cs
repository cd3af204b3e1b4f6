namespace Datakamp.Disclosure.Suppression;

/// <summary>
/// A spanning variable of a table: its categories plus one total margin (<see cref="TotalLabel"/>).
/// Linked tables that share a dimension must use the same name and the same categories.
/// </summary>
public sealed record TableDimension
{
    /// <summary>Creates a dimension; names and categories may not contain '=' or ';'.</summary>
    public TableDimension(string name, IReadOnlyList<string> categories, string totalLabel = "Total")
    {
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
        TotalLabel = totalLabel;
    }

    /// <summary>Dimension name (e.g. "sector").</summary>
    public string Name { get; }

    /// <summary>The categories, without the total.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Label of the margin (default "Total").</summary>
    public string TotalLabel { get; }

    /// <summary>Categories followed by the total label.</summary>
    public IEnumerable<string> CategoriesAndTotal => Categories.Append(TotalLabel);

    /// <summary>True when <paramref name="label"/> is a category or the total.</summary>
    public bool Has(string label) => label == TotalLabel || Categories.Contains(label);

    private static void CheckName(string s)
    {
        if (s.Contains('=', StringComparison.Ordinal) || s.Contains(';', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{s}' contains '=' or ';'.");
        }
    }
}
