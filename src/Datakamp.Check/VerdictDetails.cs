using System.Globalization;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Check;

/// <summary>
/// The full terminal view of a verdict (<c>datakamp check --details</c>), for an output checker: per table its
/// status and reasons, then the table itself with flagged cells marked (<c>*</c> fails and is primary-suppressed, <c>#</c> secondary
/// suppression, <c>?</c> needs review), the flagged cells with their rule ids, and the information loss of
/// secondary suppression. Two dimensions print as a grid; a third dimension gives one
/// grid per layer; grids wider than the screen are split into bands of columns. Every flagged and
/// secondary cell is listed; the short view is <see cref="VerdictSummary"/>.
/// </summary>
internal static class VerdictDetails
{
    public static void Write(TextWriter w, VerdictDocument verdict, int width)
    {
        VerdictSummary.WriteVerdictLine(w, verdict);
        foreach (var file in verdict.Files)
        {
            VerdictSummary.WriteFileHeading(w, file);
            if (file.Cells.Count == 0 || file.Dimensions.Count == 0) continue;
            WriteTable(w, file, width);
            WriteFlagged(w, file);
            WriteSuppression(w, file);
        }
    }

    private static void WriteTable(TextWriter w, FileVerdict file, int width)
    {
        var byId = file.Cells.ToDictionary(c => c.Id);
        var dims = file.Dimensions;
        List<string> Labels(DimensionVerdict d) => file.Margins ? [.. d.Categories, "Total"] : [.. d.Categories];
        string Id(params (DimensionVerdict D, string Label)[] parts) => string.Join("|", parts.Select(p => $"{p.D.Column}={p.Label}"));

        var rows = dims[0];
        var cols = dims.Count > 1 ? dims[1] : null;
        List<string?> layers = dims.Count > 2 ? [.. Labels(dims[2])] : [null];
        foreach (var layer in layers)
        {
            w.WriteLine();
            if (layer is not null) w.WriteLine($"   {dims[2].Column} = {layer}");
            var colLabels = cols is null ? ["value"] : Labels(cols);
            var grid = Labels(rows).Select(r => colLabels.Select(c =>
            {
                var parts = new List<(DimensionVerdict, string)> { (rows, r) };
                if (cols is not null) parts.Add((cols, c));
                if (layer is not null) parts.Add((dims[2], layer));
                return Show(byId[Id([.. parts])]);
            }).ToArray()).ToArray();
            WriteGrid(w, rows.Column, Labels(rows), colLabels, grid, width);
        }
    }

    // Prints a grid, splitting the columns into bands that fit the width.
    private static void WriteGrid(TextWriter w, string corner, List<string> rowLabels, List<string> colLabels, string[][] grid, int width)
    {
        var labelWidth = Math.Max(corner.Length, rowLabels.Max(l => l.Length)) + 3;
        var widths = colLabels.Select((c, j) => Math.Max(c.Length, grid.Max(r => r[j].Length)) + 2).ToArray();
        var start = 0;
        while (start < colLabels.Count)
        {
            var end = start;
            var used = labelWidth;
            while (end < colLabels.Count && (end == start || used + widths[end] <= width)) used += widths[end++];
            w.WriteLine("   " + corner.PadRight(labelWidth - 3) + string.Concat(Enumerable.Range(start, end - start).Select(j => colLabels[j].PadLeft(widths[j]))));
            for (var i = 0; i < rowLabels.Count; i++)
                w.WriteLine("   " + rowLabels[i].PadRight(labelWidth - 3) + string.Concat(Enumerable.Range(start, end - start).Select(j => grid[i][j].PadLeft(widths[j]))));
            if (end < colLabels.Count) w.WriteLine();
            start = end;
        }
    }

    private static string Show(CellVerdict cell)
    {
        var value = cell.Value is not { } v ? "-" : v == Math.Round(v) && Math.Abs(v) < 1e15
            ? v.ToString("N0", CultureInfo.InvariantCulture) : v.ToString("N2", CultureInfo.InvariantCulture);
        var mark = cell.PrimarySuppressed ? "*" : cell.SecondarySuppressed ? "#" : cell.Status == CheckStatus.Review ? "?" : cell.Status == CheckStatus.Fail ? "*" : " ";
        return value + mark;
    }

    private static void WriteSuppression(TextWriter w, FileVerdict file)
    {
        if (file.Suppression is not { } s) return;
        var secondary = file.Cells.Where(c => c.SecondarySuppressed).ToList();
        if (secondary.Count == 0) return;
        w.WriteLine();
        var share = s.SecondaryShare is { } f ? $", {(100 * f).ToString("0.##", CultureInfo.InvariantCulture)}% of the table total" : "";
        w.WriteLine($"   secondary suppression ({Plural.Count(secondary.Count, "cell", "cells")}; # = suppressed so that no * can be recomputed; {s.Quantity}): "
            + $"information loss {s.SecondaryValue.ToString("N0", CultureInfo.InvariantCulture)}{share}");
        foreach (var c in secondary) w.WriteLine($"   # {c.Id}");
    }

    private static void WriteFlagged(TextWriter w, FileVerdict file)
    {
        var flagged = file.Cells.Where(c => c.Status != CheckStatus.Pass).ToList();
        w.WriteLine();
        if (flagged.Count == 0) { w.WriteLine("   no flagged cells"); return; }
        w.WriteLine($"   flagged cells ({Plural.Count(flagged.Count, "cell", "cells")}; * = fail, primary suppression; ? = review):");
        foreach (var c in flagged) w.WriteLine(VerdictSummary.FlaggedLine(c));
    }
}
