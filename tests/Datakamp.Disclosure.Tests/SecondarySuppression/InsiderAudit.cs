using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Audits a suppression pattern against insiders with GLPK, independently of the engine's own insider check: for
/// every insider, the largest contributor of one or more unknown cells (one unit: the cells whose
/// <see cref="ContributorKnowledge.Unit"/> is the same; a cell without a unit alone), the problem is rebuilt with
/// those cells' bounds narrowed to what the contributor knows, and every primary's interval must still reach its
/// requirement. A primary is audited against what its own largest contributor knows of the other cells only (the
/// engine also leaves out cells of that contributor that contain the primary or lie inside it; the tests that use this
/// audit have none).
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
        var insiders = problem.Cells.Where(c => unknown.Contains(c.Id) && c.LargestContributor is not null)
            .GroupBy(c => c.LargestContributor!.Unit is { } unit ? $"unit {unit}" : $"cell {c.Id}");
        foreach (var insider in insiders)
        {
            foreach (var p in problem.Cells.Where(c => c.IsPrimary))
            {
                var knows = insider.Where(c => c.Id != p.Id).ToDictionary(c => c.Id, c => c.LargestContributor!.BoundsOn(c.Value, c.LowerBound, c.UpperBound));
                if (knows.Count == 0) continue;
                var informed = new SuppressionProblem(
                    problem.Cells.Select(c => knows.TryGetValue(c.Id, out var k) ? c with { LowerBound = k.Lower, UpperBound = k.Upper } : c),
                    relations);
                var a = GlpkAudit.Intervals(informed, unknown, [p.Id])[p.Id];
                var tol = GlpkAudit.Tolerance(problem, problem.IndexOf(p.Id));
                var who = $"the largest contributor of {string.Join(", ", knows.Keys)}";
                Assert.True(a.Lower <= p.Value - p.LowerProtection + tol, $"GLPK: {who} narrows {p.Id} to min {a.Lower} > {p.Value} - {p.LowerProtection}");
                Assert.True(a.Upper >= p.Value + p.UpperProtection - tol, $"GLPK: {who} narrows {p.Id} to max {a.Upper} < {p.Value} + {p.UpperProtection}");
            }
        }
    }
}
