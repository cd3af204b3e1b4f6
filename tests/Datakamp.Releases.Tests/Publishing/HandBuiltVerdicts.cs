using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Releases.Tests;

/// <summary>
/// A small count table by district, computed by hand: noord 3 (fails the threshold of 10: primary), zuid 12 (suppressed
/// as the secondary that protects noord), oost 25, Total 40. As the disclosure engine's verdict would record it.
/// </summary>
internal static class HandBuiltVerdicts
{
    public static FileVerdict DistrictCounts(SuppressionOutcome outcome = SuppressionOutcome.Protected, IReadOnlyList<string>? linkedWith = null) =>
        new("income.csv", "income.spec.yaml", "persons", "Count",
            [new DimensionVerdict("district", ["noord", "zuid", "oost"])], Margins: true, CheckStatus.Fail,
            ["1 of 4 cells fail and are marked for primary suppression."], RowsRead: 40, RowsUsed: 40, RowsWithMissingCategory: 0,
            [
                Cell("c0", "noord", 3, CheckStatus.Fail, primary: true),
                Cell("c1", "zuid", 12, CheckStatus.Pass, secondary: true),
                Cell("c2", "oost", 25, CheckStatus.Pass),
                Cell("c3", "Total", 40, CheckStatus.Pass),
            ],
            [new RelationVerdict("c3", ["c0", "c1", "c2"])],
            new SuppressionVerdict(outcome, outcome == SuppressionOutcome.Protected ? "1 secondary cell protects 1 primary cell." : "verification found an under-protected cell",
                "count", linkedWith ?? [], PrimaryCells: 1, SecondaryCells: 1, SecondaryValue: 12, TableTotal: 40, SecondaryShare: 0.3, SolveSeconds: 0.01));

    public static VerdictDocument Document(FileVerdict table) =>
        new(1, table.Status, table.Reasons, new PolicyReference("cbs-persons", 3), new MicrodataReference("persons.csv", new string('e', 64), 1234), [table]);

    private static CellVerdict Cell(string id, string district, int count, CheckStatus status, bool primary = false, bool secondary = false) =>
        new(id, new Dictionary<string, string> { ["district"] = district }, count, count, count, 0, status, [], primary, secondary,
            null, null, null, null, SubmittedPresent: true, Submitted: count, Difference: 0,
            primary || secondary ? new FeasibleIntervalVerdict(0, 15, true) : null);
}
