using Datakamp.Disclosure.Filters;

namespace Datakamp.Disclosure.Specs;

/// <summary>
/// A researcher's description of one submitted table, validated by <see cref="TableSpecLoader"/>.
/// The host recomputes the table from this, so every field is input to check, never a fact.
/// Dimensions are <see cref="Rows"/> then <see cref="Cols"/> then <see cref="Layers"/>, at most three in all.
/// </summary>
public sealed record TableSpec
{
    public required string SourceFile { get; init; }
    public required string Dataset { get; init; }
    public required string Unit { get; init; }
    public required IReadOnlyList<string> Rows { get; init; }
    public IReadOnlyList<string> Cols { get; init; } = [];
    public IReadOnlyList<string> Layers { get; init; } = [];
    public required Statistic Statistic { get; init; }
    public string? Value { get; init; }
    public string? Weight { get; init; }
    public FilterExpression? Filter { get; init; }
    public bool Margins { get; init; }
    /// <summary>The submitted table's file name (<c>file:</c>); without it, the spec file's name without extension, a label only.</summary>
    public required string File { get; init; }
    /// <summary>False when the spec has no <c>file:</c>: it cannot be compared with a submitted table.</summary>
    public bool NamesSubmittedFile { get; init; } = true;
    public char Delimiter { get; init; } = ',';

    /// <summary>Line of each key in <see cref="SourceFile"/>, so later errors (unknown column) can point at it.</summary>
    public IReadOnlyDictionary<string, long> KeyLines { get; init; } = new Dictionary<string, long>();

    /// <summary>All dimension columns in order: rows, cols, layers.</summary>
    public IReadOnlyList<string> Dimensions => [.. Rows, .. Cols, .. Layers];

    /// <summary>An input error located at the line of <paramref name="key"/> in the spec file.</summary>
    public DisclosureInputException ErrorAt(string key, string reason) =>
        new(SourceFile, KeyLines.TryGetValue(key, out var l) ? l : null, reason);

    /// <summary>The spec key under which a column appears (for error locations).</summary>
    public string KeyOf(string column) =>
        column == Unit ? "unit" : column == Value ? "value" : column == Weight ? "weight"
        : Rows.Contains(column) ? "rows" : Cols.Contains(column) ? "cols" : Layers.Contains(column) ? "layers" : "filter";
}
