using System.Globalization;
using System.Text;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Releases;

/// <summary>
/// The host's own version of a checked table for "approve with suppression": made from the recomputation in the verdict,
/// never from the team's file, with every suppressed cell blank and marked. Primary and secondary cells are marked alike,
/// because telling them apart would point at the sensitive cells.
/// <para>
/// Columns: the table's dimensions in order, the statistic (its recomputed value, blank when suppressed), and
/// <c>suppressed</c> ("x" on a suppressed cell, empty otherwise). UTF-8, comma-separated, a header line, "\n" line ends.
/// </para>
/// </summary>
public static class SuppressedTable
{
    public const string MarkColumn = "suppressed";
    public const string Mark = "x";

    /// <summary>Why this table cannot be released with suppression (fail closed), or null when it can.</summary>
    public static string? RefusalFor(FileVerdict? table)
    {
        if (table is null) return "it is not a table the host recomputed";
        if (table.Cells.Count == 0) return "the automated check produced no cells for it";
        if (table.Cells.Any(c => c.Status == CheckStatus.Fail && !c.PrimarySuppressed))
            return "a failing cell is not suppressed";
        var suppressed = table.Cells.Where(IsSuppressed).ToList();
        if (suppressed.Count == 0) return "no cell is suppressed: approve it as it is, or return it";
        if (table.Suppression is not { Status: SuppressionOutcome.Protected or SuppressionOutcome.NotNeeded or SuppressionOutcome.NotApplicable } suppression)
            return table.Suppression is null
                ? "its cells were not protected by secondary suppression"
                : $"secondary suppression did not protect it ({table.Suppression.Message})";
        if (suppression.Status == SuppressionOutcome.NotNeeded && suppressed.Any(c => c.SecondarySuppressed))
            return "its suppression pattern is inconsistent";
        if (suppressed.Any(c => c.FeasibleInterval is { Reliable: false }))
            return "the protection of a suppressed cell could not be verified";
        return null;
    }

    /// <summary>The table as CSV bytes; throws when <see cref="RefusalFor"/> refuses it.</summary>
    public static byte[] ToCsv(FileVerdict table)
    {
        if (RefusalFor(table) is { } refusal) throw new InvalidOperationException($"{table.File} cannot be released with suppression: {refusal}.");
        var csv = new StringBuilder();
        var header = table.Dimensions.Select(d => d.Column).Append(StatisticColumn(table)).Append(MarkColumn);
        csv.Append(string.Join(',', header.Select(Field))).Append('\n');
        foreach (var cell in table.Cells)
        {
            var fields = table.Dimensions.Select(d => cell.Coordinates.GetValueOrDefault(d.Column, "")).ToList();
            fields.Add(IsSuppressed(cell) ? "" : Number(cell.Value));
            fields.Add(IsSuppressed(cell) ? Mark : "");
            csv.Append(string.Join(',', fields.Select(Field))).Append('\n');
        }
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(csv.ToString());
    }

    private static bool IsSuppressed(CellVerdict cell) => cell.PrimarySuppressed || cell.SecondarySuppressed;

    private static string StatisticColumn(FileVerdict table) => (table.Statistic ?? "value").ToLowerInvariant();

    // Round-trip precision without exponent noise for ordinary magnitudes; an empty field for a cell without a value.
    private static string Number(double? value) => value is { } v ? v.ToString("0.###############", CultureInfo.InvariantCulture) : "";

    /// <summary>RFC 4180 quoting where needed (categories come from microdata and may hold commas or quotes).</summary>
    private static string Field(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
}
