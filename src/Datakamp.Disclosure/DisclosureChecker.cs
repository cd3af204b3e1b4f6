using Datakamp.Disclosure.Comparison;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.PrimarySuppression;
using Datakamp.Disclosure.SecondarySuppression;
using Datakamp.Disclosure.SecondarySuppression.LinearProgramming;
using Datakamp.Disclosure.Screening;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Disclosure;

/// <summary>
/// Entry point: pre-screens each submitted table, recomputes all of them from the microdata in one pass
/// (so linked tables come from the same bytes, and the verdict's SHA-256 is of exactly those bytes), runs
/// the policy's rules per cell, marks primary suppression, compares with the submitted file and returns a
/// verdict. Fail closed: an input error in one table fails that table with its message (the others are
/// still checked); no table at all fails the verdict.
/// </summary>
public static class DisclosureChecker
{
    /// <summary>The verdict schema written (see Verdicts/README.md). 2: secondary suppression, feasible intervals, information loss.</summary>
    public const int SchemaVersion = 2;

    /// <summary>Checks all tables of <paramref name="request"/> in one pass over the microdata; <paramref name="bytesRead"/> reports bytes read.</summary>
    public static async Task<VerdictDocument> CheckAsync(CheckRequest request, IProgress<long>? bytesRead = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A dedicated thread: the pass waits on parser tasks in the thread pool and must not take a pool thread from them.
        return await Task.Factory.StartNew(() => Check(request, bytesRead, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }

    private static VerdictDocument Check(CheckRequest request, IProgress<long>? bytesRead, CancellationToken cancellationToken)
    {
        var dataName = Path.GetFileName(request.MicrodataPath);
        var verdicts = new FileVerdict?[request.Specs.Count];

        // Pre-screen every table first; only those that pass are recomputed, all in the same pass.
        var toRecompute = new List<int>();
        for (var i = 0; i < request.Specs.Count; i++)
        {
            try { PreScreenOne(request, request.Specs[i]); toRecompute.Add(i); }
            catch (DisclosureInputException e) { verdicts[i] = Failed(request.Specs[i], e.Message); }
        }

        string? sha = null;
        long? bytes = null;
        string? readFrom = null;
        if (toRecompute.Count > 0)
        {
            // The solver's native library takes about 0.1 s to load: on the other core, while the tables are recomputed.
            if (toRecompute.Any(i => SecondarySuppressionStep.Quantity(request.Specs[i]) is not null)) LpSolver.LoadInBackground();
            MicrodataPass pass;
            try
            {
                var specs = toRecompute.Select(i => request.Specs[i]).ToList();
                // A cache that cannot be used (null) means reading the CSV, as without one.
                var cached = request.MicrodataCachePath is { } cachePath
                    ? CachedRecomputation.TryRecompute(request.MicrodataPath, cachePath, dataName, specs, request.Policy,
                        request.MicrodataDelimiter, bytesRead, cancellationToken)
                    : null;
                if (cached is not null) { pass = cached; bytes = cached.Bytes; readFrom = "cache"; }
                else
                {
                    using var source = new FileStream(request.MicrodataPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                    pass = TableRecomputer.RecomputeAll(source, dataName, specs, request.Policy, request.MicrodataDelimiter, bytesRead, cancellationToken);
                    bytes = source.Length;
                    readFrom = "csv";
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var error = new DisclosureInputException(dataName, null, $"cannot read the microdata: {e.Message}");
                pass = new MicrodataPass(toRecompute.Select(i => new TableOutcome(request.Specs[i], null, error)).ToList(), null, 0);
            }
            sha = pass.Sha256;
            // The per-unit state of the pass (tens of MB for millions of units) is garbage now: collect it
            // before the verdict is built, so the verdict does not add to the pass's peak memory.
            GC.Collect();
            var assessed = new List<AssessedTable>();
            for (var k = 0; k < toRecompute.Count; k++)
            {
                var i = toRecompute[k];
                var outcome = pass.Tables[k];
                try
                {
                    if (outcome.Table is not { } table) { verdicts[i] = Failed(request.Specs[i], outcome.Error!.Message); continue; }
                    var assessments = PrimarySuppressor.Assess(table, request.Policy);
                    verdicts[i] = Judge(request, request.Specs[i], table, assessments);
                    assessed.Add(new AssessedTable(i, table, assessments));
                }
                catch (DisclosureInputException e) { verdicts[i] = Failed(request.Specs[i], e.Message); }
            }

            // Secondary suppression over all tables of the request that were recomputed (linked where they
            // share a population), also for a table whose submitted file failed: its cells are still published
            // next to the others once fixed, and the checker needs the pattern.
            var suppression = SecondarySuppressionStep.Run(assessed, request.Policy, cancellationToken);
            foreach (var (i, result) in suppression)
                if (verdicts[i] is { RowsRead: not null } v) verdicts[i] = WithSuppression(v, result);
        }

        var files = verdicts.Select(v => v!).ToList();
        var reasons = new List<string>();
        if (request.Specs.Count == 0) reasons.Add("No table was submitted with a spec; nothing was checked.");
        var status = request.Specs.Count == 0 ? CheckStatus.Fail : files.Aggregate(CheckStatus.Pass, (s, f) => s.Worst(f.Status));
        foreach (var f in files.Where(f => f.Status != CheckStatus.Pass))
            reasons.Add($"{f.File}: {f.Status.ToWord()}: {string.Join(" ", f.Reasons)}");
        if (status == CheckStatus.Pass) reasons.Add("Every cell of every table passed the policy's rules.");
        return new VerdictDocument(SchemaVersion, status, reasons, new PolicyReference(request.Policy.Name, request.Policy.Version),
            new MicrodataReference(dataName, sha, sha is null ? null : bytes, sha is null ? null : readFrom), files);
    }

    private static void PreScreenOne(CheckRequest request, TableSpec spec)
    {
        if (request.RequireSubmittedFiles && !spec.NamesSubmittedFile)
            throw spec.ErrorAt("file", "missing key 'file': name the submitted table this spec describes");
        if (request.SubmittedFiles.TryGetValue(spec.File, out var submittedPath))
            PreScreen.Check(spec, submittedPath, request.Policy);
        else if (request.RequireSubmittedFiles)
            throw spec.ErrorAt("file", $"the submitted file '{spec.File}' named by the spec was not submitted");
        else
            PreScreen.CheckDimensions(spec, request.Policy);
    }

    /// <summary>Rules, primary suppression and the comparison with the submitted file (when there is one) for one recomputed table.</summary>
    private static FileVerdict Judge(CheckRequest request, TableSpec spec, RecomputedTable table, IReadOnlyList<CellAssessment> assessments)
    {
        var compared = request.SubmittedFiles.TryGetValue(spec.File, out var submittedPath);
        IReadOnlyDictionary<int, (double? Value, long Line)> submitted = new Dictionary<int, (double? Value, long Line)>();
        if (compared)
        {
            using var s = File.OpenRead(submittedPath!);
            submitted = SubmittedTable.Read(s, Path.GetFileName(spec.File), table, spec.Delimiter);
        }

        var cells = new List<CellVerdict>(table.Cells.Count);
        var status = CheckStatus.Pass;
        int failing = 0, reviewing = 0, mismatches = 0, missing = 0;
        foreach (var a in assessments)
        {
            var cell = a.Cell;
            var present = submitted.TryGetValue(cell.Index, out var sub);
            var cmp = compared ? CellComparison.Compare(present, sub.Value, cell.Evidence.Value, request.Policy.Comparison)
                : CellComparison.NotCompared(cell.Evidence.Value);
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
        if (failing > 0) reasons.Add($"{failing} of {Plural.Count(cells.Count, "cell", "cells")} {Plural.Word(failing, "fails and is", "fail and are")} marked for primary suppression.");
        if (reviewing > 0) reasons.Add($"{reviewing} of {Plural.Count(cells.Count, "cell", "cells")} {Plural.Word(reviewing, "needs", "need")} review.");
        if (mismatches > 0) reasons.Add($"{Plural.Count(mismatches, "submitted value differs", "submitted values differ")} from the recomputation.");
        if (missing > 0) reasons.Add($"{Plural.Count(missing, "cell is", "cells are")} missing from the submitted file.");
        if (!compared) reasons.Add("No submitted file was given: the recomputed table was checked, no submitted values were compared.");
        if (table.RowsWithMissingCategory > 0)
            reasons.Add($"{Plural.Count(table.RowsWithMissingCategory, "matching row has", "matching rows have")} an empty dimension value and {Plural.Word(table.RowsWithMissingCategory, "is", "are")} in no cell.");
        var missingValues = MissingValuesSummary.Of(table);
        if (missingValues is { UnitsWithoutValue: > 0 }) reasons.Add(missingValues.Message);
        if (spec.Dataset.StartsWith("workspace:", StringComparison.Ordinal))
        {
            status = status.Worst(CheckStatus.Review);
            reasons.Add("The table was computed from a team's derived file, not from a granted dataset.");
        }
        var relations = table.AdditiveRelations()
            .Select(r => new RelationVerdict(cells[r.Total].Id, r.Parts.Select(p => cells[p].Id).ToList())).ToList();
        var verdict = new FileVerdict(spec.File, Path.GetFileName(spec.SourceFile), spec.Dataset, spec.Statistic.ToString(),
            table.Dimensions.Select(d => new DimensionVerdict(d.Column, d.Categories)).ToList(), table.HasMargins,
            status, reasons, table.RowsRead, table.RowsUsed, table.RowsWithMissingCategory, cells, relations, MissingValues: missingValues);
        return verdict;
    }

    /// <summary>Marks secondary cells and intervals, adds the information loss, and fails the file when anything more must be suppressed or the suppression failed.</summary>
    private static FileVerdict WithSuppression(FileVerdict verdict, TableSuppression suppression)
    {
        var cells = verdict.Cells.Select((c, index) => suppression.Suppressed.TryGetValue(index, out var s)
            ? c with
            {
                SecondarySuppressed = s.Kind == SuppressionKind.Secondary,
                FeasibleInterval = s.Interval is { } interval
                    ? new FeasibleIntervalVerdict(Finite(interval.Lower), Finite(interval.Upper), interval.Reliable)
                    : null,
            }
            : c).ToList();
        var info = suppression.Verdict;
        var status = verdict.Status;
        var reasons = verdict.Reasons.ToList();
        switch (info.Status)
        {
            case SuppressionOutcome.Protected or SuppressionOutcome.NotNeeded or SuppressionOutcome.NotApplicable:
                if (info.SecondaryCells > 0) status = CheckStatus.Fail;   // cells must be suppressed before release
                if (suppression.LinkFailed) status = status.Worst(CheckStatus.Review);
                if (info.PrimaryCells > 0 || info.SecondaryCells > 0 || suppression.LinkFailed) reasons.Add(info.Message);
                break;
            default:
                status = CheckStatus.Fail;
                reasons.Add(info.Message);
                break;
        }
        return verdict with { Cells = cells, Status = status, Reasons = reasons, Suppression = info };
    }

    private static FileVerdict Failed(TableSpec spec, string message) =>
        new(spec.File, Path.GetFileName(spec.SourceFile), spec.Dataset, spec.Statistic.ToString(), [], spec.Margins,
            CheckStatus.Fail, [message], null, null, null, [], []);

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;
}
