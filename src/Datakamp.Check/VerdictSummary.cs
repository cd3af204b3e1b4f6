using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Check;

/// <summary>
/// The default terminal view of a verdict: the verdict, per table its status and reasons, and the first
/// flagged and secondary-suppressed cells. Short on purpose, so the decision is on one screen even for a
/// table of thousands of cells; the grids are in <see cref="VerdictDetails"/> (<c>--details</c>) and every
/// cell with its rules in the verdict file (<c>--out</c>).
/// </summary>
internal static class VerdictSummary
{
    private const int MaxListedCells = 10;

    public static void Write(TextWriter w, VerdictDocument verdict, string? verdictFile)
    {
        WriteVerdictLine(w, verdict);
        foreach (var file in verdict.Files)
        {
            WriteFileHeading(w, file);
            if (file.Cells.Count == 0) continue;
            var flagged = file.Cells.Where(c => c.Status != CheckStatus.Pass).ToList();
            var secondaryCount = file.Cells.Count(c => c.SecondarySuppressed);
            var secondary = file.Cells.Where(c => c.SecondarySuppressed && c.Status == CheckStatus.Pass).ToList();   // the others are listed as flagged
            w.WriteLine($"   {Plural.Count(file.Cells.Count, "cell", "cells")}: {Plural.Count(flagged.Count, "flagged cell", "flagged cells")}"
                + $" (* fail, ? review), {Plural.Count(secondaryCount, "secondary suppression", "secondary suppressions")} (#)");
            var listed = flagged.Select(FlaggedLine).Concat(secondary.Select(c => $"   # {c.Id}")).ToList();
            foreach (var line in listed.Take(MaxListedCells)) w.WriteLine(line);
            if (listed.Count > MaxListedCells) w.WriteLine($"   ... and {Plural.Count(listed.Count - MaxListedCells, "more cell", "more cells")}");
        }
        w.WriteLine();
        w.WriteLine("every table as a grid with all flagged cells: --details"
            + (verdictFile is null ? "; every cell with its rules: --out VERDICT.json" : $"; every cell with its rules: {verdictFile}"));
    }

    /// <summary>The first line of both views.</summary>
    internal static void WriteVerdictLine(TextWriter w, VerdictDocument verdict) =>
        w.WriteLine($"verdict: {verdict.Status.ToWord().ToUpperInvariant()}  (policy {verdict.Policy.Name} v{verdict.Policy.Version}, microdata {verdict.Microdata.File})");

    /// <summary>A table's heading and reasons, in both views.</summary>
    internal static void WriteFileHeading(TextWriter w, FileVerdict file)
    {
        w.WriteLine();
        w.WriteLine($"== {file.File} (spec {file.Spec}, {file.Statistic}): {file.Status.ToWord().ToUpperInvariant()}");
        foreach (var reason in file.Reasons) w.WriteLine($"   {reason}");
    }

    /// <summary>"* district=Zuid: threshold": the mark, the cell and the rules that flagged it.</summary>
    internal static string FlaggedLine(CellVerdict c)
    {
        var rules = string.Join(", ", c.Rules.Where(r => r.Status != CheckStatus.Pass).Select(r => r.Id).Distinct());
        return $"   {(c.PrimarySuppressed || c.Status == CheckStatus.Fail ? "*" : "?")} {c.Id}: {rules}";
    }
}
