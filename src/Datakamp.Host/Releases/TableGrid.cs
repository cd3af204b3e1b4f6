using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Host.Releases;

/// <summary>
/// A recomputed table laid out as a grid for the checker: rows are the first dimension's categories, columns the
/// second's (one column when there is none), and one grid per category of the third. Margins ("Total") come last.
/// Each place holds the engine's verdict on that cell, or null when the table has no such cell.
/// </summary>
public sealed record TableGrid(string RowDimension, string? ColumnDimension, IReadOnlyList<TableGrid.Layer> Layers, IReadOnlyList<string> Columns)
{
    public const string Total = "Total";

    public sealed record Layer(string? Title, IReadOnlyList<Row> Rows);

    public sealed record Row(string Category, IReadOnlyList<CellVerdict?> Cells);

    public static TableGrid From(FileVerdict table)
    {
        var dimensions = table.Dimensions;
        var byKey = table.Cells.ToDictionary(c => Key(c.Coordinates, dimensions), StringComparer.Ordinal);
        IReadOnlyList<string> Categories(int i) => i < dimensions.Count
            ? (table.Margins ? [.. dimensions[i].Categories, Total] : dimensions[i].Categories)
            : [""];

        var rows = Categories(0);
        var columns = Categories(1);
        var layers = dimensions.Count > 2 ? Categories(2) : [""];
        var built = layers.Select(layer => new Layer(
            dimensions.Count > 2 ? $"{dimensions[2].Column} {layer}" : null,
            rows.Select(row => new Row(row, columns.Select(column =>
                byKey.GetValueOrDefault(Key([row, column, layer], dimensions.Count))).ToList())).ToList())).ToList();
        return new TableGrid(dimensions.Count > 0 ? dimensions[0].Column : "", dimensions.Count > 1 ? dimensions[1].Column : null, built, columns);
    }

    /// <summary>A mark that does not rely on colour: ✖ unsafe, ⚠ review, ▣ suppressed to protect another cell.</summary>
    public static string Symbol(CellVerdict cell) =>
        cell.Status == CheckStatus.Fail ? "✖" : cell.Status == CheckStatus.Review ? "⚠" : cell.SecondarySuppressed ? "▣" : "";

    public static string CssClass(CellVerdict cell) =>
        cell.Status == CheckStatus.Fail ? "cell-fail" : cell.Status == CheckStatus.Review ? "cell-review" : cell.SecondarySuppressed ? "cell-secondary" : "";

    private static string Key(IReadOnlyDictionary<string, string> coordinates, IReadOnlyList<DimensionVerdict> dimensions) =>
        string.Join("\u001f", dimensions.Select(d => coordinates.GetValueOrDefault(d.Column, "")));

    private static string Key(string[] values, int dimensions) => string.Join("\u001f", values.Take(dimensions));
}
