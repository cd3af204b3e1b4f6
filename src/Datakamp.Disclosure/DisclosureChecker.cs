using Datakamp.Disclosure.Comparison;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Protection;
using Datakamp.Disclosure.Screening;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Disclosure;

/// <summary>
/// Entry point: pre-screens each submitted table, recomputes it from the microdata, runs the policy's
/// rules per cell, marks primary suppression, compares with the submitted file and returns a verdict.
/// Fail closed: an input error in one table fails that table with its message (the others are still
/// checked); no table at all, or a microdata file that changed between passes, fails the verdict.
/// </summary>
public static class DisclosureChecker
{
    /// <summary>Checks all tables of <paramref name="request"/>; <paramref name="bytesRead"/> reports microdata bytes read per pass.</summary>
    public static async Task<VerdictDocument> CheckAsync(CheckRequest request, IProgress<long>? bytesRead = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dataName = Path.GetFileName(request.MicrodataPath);
        var files = new List<FileVerdict>();
        string? sha = null;
        long? bytes = null;
        var reasons = new List<string>();

        foreach (var spec in request.Specs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var (verdict, hash, size) = await Task.Run(() => CheckOne(request, spec, bytesRead, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (sha is not null && hash != sha)
                    throw new DisclosureInputException(dataName, null, "the microdata file changed while it was being checked");
                sha = hash;
                bytes = size;
                files.Add(verdict);
            }
            catch (DisclosureInputException e)
            {
                files.Add(Failed(spec, e.Message));
            }
        }

        if (request.Specs.Count == 0) reasons.Add("No table was submitted with a spec; nothing was checked.");
        var status = request.Specs.Count == 0 ? CheckStatus.Fail : files.Aggregate(CheckStatus.Pass, (s, f) => s.Worst(f.Status));
        foreach (var f in files.Where(f => f.Status != CheckStatus.Pass))
            reasons.Add($"{f.File}: {f.Status.ToWord()}: {string.Join(" ", f.Reasons)}");
        if (status == CheckStatus.Pass) reasons.Add("Every cell of every table passed the policy's rules.");
        return new VerdictDocument(1, status, reasons, new PolicyReference(request.Policy.Name, request.Policy.Version),
            new MicrodataReference(dataName, sha, bytes), files);
    }

    private static (FileVerdict Verdict, string Sha256, long Bytes) CheckOne(CheckRequest request, TableSpec spec, IProgress<long>? progress, CancellationToken ct)
    {
        if (!request.SubmittedFiles.TryGetValue(spec.File, out var submittedPath))
            throw spec.ErrorAt("file", $"the submitted file '{spec.File}' named by the spec was not submitted");
        PreScreen.Check(spec, submittedPath, request.Policy);

        RecomputedTable table;
        string sha;
        long size;
        FileStream source;
        try { source = new FileStream(request.MicrodataPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DisclosureInputException(Path.GetFileName(request.MicrodataPath), null, $"cannot read the microdata: {e.Message}");
        }
        using (source)
        using (var stream = new ReadAheadHashingStream(source, progress, ct))
        {
            table = TableRecomputer.Recompute(stream, Path.GetFileName(request.MicrodataPath), spec, request.Policy, request.MicrodataDelimiter, ct);
            // Drain whatever follows (nothing for a well-formed CSV) so the hash covers the whole file.
            var sink = new byte[1 << 16];
            while (stream.Read(sink) > 0) { }
            sha = stream.Sha256;
            size = source.Length;
        }

        var assessments = PrimarySuppression.Assess(table, request.Policy);
        IReadOnlyDictionary<int, (double? Value, long Line)> submitted;
        using (var s = File.OpenRead(submittedPath))
            submitted = SubmittedTable.Read(s, Path.GetFileName(spec.File), table, spec.Delimiter);

        var cells = new List<CellVerdict>(table.Cells.Count);
        var status = CheckStatus.Pass;
        int failing = 0, reviewing = 0, mismatches = 0, missing = 0;
        foreach (var a in assessments)
        {
            var cell = a.Cell;
            var present = submitted.TryGetValue(cell.Index, out var sub);
            var cmp = CellComparison.Compare(present, sub.Value, cell.Evidence.Value, request.Policy.Comparison);
            var rules = a.Findings.Select(f => new RuleVerdict(f.RuleId, f.Status, f.Message,
                f.Numbers.ToDictionary(kv => kv.Key, kv => Finite(kv.Value)))).ToList();
            if (cmp.Message is not null)
            {
                rules.Add(new RuleVerdict(cmp.Present ? "submitted_differs" : "submitted_missing", cmp.Status, cmp.Message,
                    new Dictionary<string, double?> { ["submitted"] = Finite(cmp.Submitted), ["recomputed"] = Finite(cmp.Recomputed) }));
                if (cmp.Present) mismatches++; else missing++;
            }
            var cellStatus = a.Status.Worst(cmp.Status);
            if (cellStatus == CheckStatus.Fail) failing++;
            else if (cellStatus == CheckStatus.Review) reviewing++;
            status = status.Worst(cellStatus);
            var labels = table.Labels(cell);
            cells.Add(new CellVerdict(
                table.CellId(cell),
                table.Dimensions.Select((d, i) => (d.Column, labels[i])).ToDictionary(x => x.Column, x => x.Item2),
                Finite(cell.Evidence.Value), cell.Evidence.Units, cell.Evidence.UnitsWithValue, cell.Evidence.MissingValueRows,
                cellStatus, rules, a.PrimarySuppressed, false,
                Finite(a.ProtectionLower), Finite(a.ProtectionUpper), a.AttackerLowerBound, a.AttackerUpperBound,
                cmp.Present, Finite(cmp.Submitted), Finite(cmp.Difference)));
        }

        var reasons = new List<string>();
        if (failing > 0) reasons.Add($"{failing} of {cells.Count} cells fail and are marked for primary suppression.");
        if (reviewing > 0) reasons.Add($"{reviewing} of {cells.Count} cells need review.");
        if (mismatches > 0) reasons.Add($"{mismatches} submitted values differ from the recomputation.");
        if (missing > 0) reasons.Add($"{missing} cells are missing from the submitted file.");
        if (table.RowsWithMissingCategory > 0)
            reasons.Add($"{table.RowsWithMissingCategory} matching rows have an empty dimension value and are in no cell.");
        if (spec.Dataset.StartsWith("workspace:", StringComparison.Ordinal))
        {
            status = status.Worst(CheckStatus.Review);
            reasons.Add("The table was computed from a team's derived file, not from a granted dataset.");
        }
        var relations = table.AdditiveRelations()
            .Select(r => new RelationVerdict(cells[r.Total].Id, r.Parts.Select(p => cells[p].Id).ToList())).ToList();
        var verdict = new FileVerdict(spec.File, Path.GetFileName(spec.SourceFile), spec.Dataset, spec.Statistic.ToString(),
            table.Dimensions.Select(d => new DimensionVerdict(d.Column, d.Categories)).ToList(), table.HasMargins,
            status, reasons, table.RowsRead, table.RowsUsed, table.RowsWithMissingCategory, cells, relations);
        return (verdict, sha, size);
    }

    private static FileVerdict Failed(TableSpec spec, string message) =>
        new(spec.File, Path.GetFileName(spec.SourceFile), spec.Dataset, spec.Statistic.ToString(), [], spec.Margins,
            CheckStatus.Fail, [message], null, null, null, [], []);

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
