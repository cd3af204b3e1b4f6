using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Releases;

/// <summary>One cell the automated check did not pass, in words: where it is, how it fails, and what to do with it.</summary>
public sealed record CellFinding(string Where, string Status, IReadOnlyList<string> Reasons, string? Suppression);

/// <summary>
/// The engine's verdict on one table, for the team's page: the cells that did not pass with each rule's message and
/// numbers ("wijk WK01: 3 units in this cell, fewer than the minimum of 10."), the suppression the engine suggests, and
/// the table's reasons. Only what the team's own table already shows: never the feasible intervals, which are for
/// checkers.
/// </summary>
public sealed record CheckFindings(IReadOnlyList<CellFinding> Cells, IReadOnlyList<string> Reasons, string? SuppressionMessage, int CellCount)
{
    public static CheckFindings? FromVerdictJson(string? json)
    {
        if (json is null) return null;
        VerdictDocument? verdict;
        try { verdict = VerdictJsonContext.Deserialize(json); }
        catch (System.Text.Json.JsonException) { return null; }
        if (verdict is null || verdict.Files.Count == 0) return null;
        var table = verdict.Files[0];
        var cells = table.Cells
            .Where(c => c.Status != CheckStatus.Pass || c.PrimarySuppressed || c.SecondarySuppressed)
            .Select(c => new CellFinding(
                Place(c, table.Dimensions),
                c.Status.ToString().ToLowerInvariant(),
                c.Rules.Where(r => r.Status != CheckStatus.Pass).Select(r => r.Message).ToList(),
                c.PrimarySuppressed ? "suppress (unsafe itself)" : c.SecondarySuppressed ? "suppress (secondary: protects an unsafe cell)" : null))
            .ToList();
        return new CheckFindings(cells, table.Reasons, table.Suppression?.Message, table.Cells.Count);
    }

    /// <summary>"district Centrum, age_band 80+": the coordinates in the table's order of dimensions (rows, cols, layers).</summary>
    public static string Place(CellVerdict cell, IReadOnlyList<DimensionVerdict> dimensions) =>
        cell.Coordinates.Count == 0 ? "the table"
        : string.Join(", ", dimensions.Where(d => cell.Coordinates.ContainsKey(d.Column)).Select(d => $"{d.Column} {cell.Coordinates[d.Column]}"));

}
