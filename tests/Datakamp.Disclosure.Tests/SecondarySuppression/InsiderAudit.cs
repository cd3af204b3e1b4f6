using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Audits a suppression pattern against insiders with GLPK, independently of the engine's own insider check: for
/// every insider, the largest contributor of one or more unknown cells (one unit: the cells whose
/// <see cref="ContributorKnowledge.Unit"/> is the same; a cell without a unit alone), the problem is rebuilt with
/// those cells' bounds narrowed to what the contributor knows, and every primary's interval must still reach its
/// requirement. A primary is audited against what its own largest contributor knows of the other cells only, and not of
/// that contributor's cells that contain the primary or lie inside it: its protection is set against that contributor
/// already (the engine's model).
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
                var own = p.LargestContributor is { Unit: { } unit } && insider.Any(c => c.LargestContributor!.Unit == unit);
                var nested = own ? Nested(problem, problem.IndexOf(p.Id)) : [];
                var knows = insider.Where(c => c.Id != p.Id && !nested.Contains(problem.IndexOf(c.Id))).ToDictionary(c => c.Id, c => c.LargestContributor!.BoundsOn(c.Value, c.LowerBound, c.UpperBound));
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

    /// <summary>The cells that contain <paramref name="cell"/> or lie inside it, following the relations up and down.</summary>
    private static HashSet<int> Nested(SuppressionProblem problem, int cell)
    {
        var found = new HashSet<int>();
        foreach (var up in new[] { true, false })
        {
            var queue = new Queue<int>([cell]);
            while (queue.TryDequeue(out var c))
            {
                var next = up
                    ? problem.Relations.Where(r => r.Parts.Contains(c)).Select(r => r.Total)
                    : problem.Relations.Where(r => r.Total == c).SelectMany(r => r.Parts);
                foreach (var n in next)
                    if (found.Add(n)) queue.Enqueue(n);
            }
        }
        return found;
    }
}
