using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Audits a suppression pattern against insiders with GLPK, independently of the engine's own insider check: for
/// every suppressed cell whose largest contributor knows more than the a-priori bounds, the problem is rebuilt with
/// that cell's bounds narrowed to what the contributor knows, and every other primary's interval must still reach
/// its requirement.
/// </summary>
internal static class InsiderAudit
{
    public static void AssertProtectedAgainstInsiders(SuppressionProblem problem, SuppressionResult result)
    {
        Assert.True(result.IsProtected, result.Message);
        var suppressed = result.Cells.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = suppressed.Concat(problem.Cells.Where(c => !c.IsPublished).Select(c => c.Id)).Distinct().ToList();
        var relations = problem.Relations
            .Select(r => new RelationByCellId(problem.Cells[r.Total].Id, r.Parts.Select(p => problem.Cells[p].Id).ToList()))
            .ToList();
        foreach (var insider in problem.Cells.Where(c => unknown.Contains(c.Id) && c.LargestContributor is not null))
        {
            var (lower, upper) = insider.LargestContributor!.BoundsOn(insider.Value, insider.LowerBound, insider.UpperBound);
            var informed = new SuppressionProblem(
                problem.Cells.Select(c => c.Id == insider.Id ? c with { LowerBound = lower, UpperBound = upper } : c),
                relations);
            var primaries = problem.Cells.Where(c => c.IsPrimary && c.Id != insider.Id).ToList();
            var audit = GlpkAudit.Intervals(informed, unknown, primaries.Select(p => p.Id).ToList());
            foreach (var p in primaries)
            {
                var a = audit[p.Id];
                var tol = GlpkAudit.Tolerance(problem, problem.IndexOf(p.Id));
                Assert.True(a.Lower <= p.Value - p.LowerProtection + tol, $"GLPK: the largest contributor of {insider.Id} narrows {p.Id} to min {a.Lower} > {p.Value} - {p.LowerProtection}");
                Assert.True(a.Upper >= p.Value + p.UpperProtection - tol, $"GLPK: the largest contributor of {insider.Id} narrows {p.Id} to max {a.Upper} < {p.Value} + {p.UpperProtection}");
            }
        }
    }
}
