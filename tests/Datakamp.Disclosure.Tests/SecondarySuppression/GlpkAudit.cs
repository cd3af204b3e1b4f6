using System.Globalization;
using System.Text;
using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Independent audit of a suppression pattern with GLPK: for every suppressed cell, the attacker's LP
/// (unknowns = suppressed cells, published cells as constants, every relation an equality, a-priori bounds)
/// is minimised and maximised by glpsol. All min/max problems of one table go into ONE LP file as
/// independent blocks (one copy of the attacker polytope per cell and sense) with objective the sum of the
/// blocks' objectives; a separable LP is optimal exactly when every block is optimal, so each block's value
/// is that cell's bound. To keep blocks bounded, each objective cell is capped far beyond its requirement
/// (value ± protection ± K, K = 1 + Σ|values|); reaching the cap means "at least that far".
/// Uses nothing from the production solver: only the problem input and the set of suppressed ids.
/// </summary>
internal static class GlpkAudit
{
    /// <summary>Interval from glpsol; a capped side means the true bound is at least that far out.</summary>
    public sealed record AuditInterval(double Lower, double Upper, bool LowerCapped, bool UpperCapped);

    /// <summary>Intervals of <paramref name="targets"/> (default: all suppressed), 20 cells per glpsol call.</summary>
    public static Dictionary<string, AuditInterval> Intervals(SuppressionProblem problem, IReadOnlyCollection<string> suppressedIds, IReadOnlyCollection<string>? targets = null)
    {
        var result = new Dictionary<string, AuditInterval>(StringComparer.Ordinal);
        foreach (var chunk in (targets ?? suppressedIds).Chunk(20))
        {
            foreach (var (id, interval) in IntervalsOf(problem, suppressedIds, chunk))
            {
                result[id] = interval;
            }
        }

        return result;
    }

    private static Dictionary<string, AuditInterval> IntervalsOf(SuppressionProblem problem, IReadOnlyCollection<string> suppressedIds, IReadOnlyCollection<string> targets)
    {
        var cells = problem.Cells;
        var suppressed = suppressedIds.Select(problem.IndexOf).Order().ToList();
        var column = suppressed.Select((c, k) => (c, k)).ToDictionary(t => t.c, t => t.k);
        var k0 = 1 + cells.Sum(c => Math.Abs(c.Value));
        var lp = new StringBuilder();
        var blocks = new List<(int Cell, int Sense, double Cap)>();
        foreach (var c in targets.Select(problem.IndexOf).Order())
        {
            var cell = cells[c];
            blocks.Add((c, +1, cell.Value - cell.LowerProtection - k0));
            blocks.Add((c, -1, cell.Value + cell.UpperProtection + k0));
        }

        string V(int block, int cell) => $"v{block}_{column[cell]}";

        // Objective lists every variable (zero coefficients included) so column numbers are known: block-major.
        lp.AppendLine("Minimize");
        lp.Append(" obj:");
        var n = 0;
        for (var b = 0; b < blocks.Count; b++)
        {
            foreach (var c in suppressed)
            {
                var coef = c == blocks[b].Cell ? blocks[b].Sense : 0;
                lp.Append(coef < 0 ? " - 1 " : coef > 0 ? " + 1 " : " + 0 ").Append(V(b, c));
                if (++n % 8 == 0)
                {
                    lp.AppendLine();
                }
            }
        }

        lp.AppendLine();
        lp.AppendLine("Subject To");
        var rows = 0;
        for (var b = 0; b < blocks.Count; b++)
        {
            foreach (var relation in problem.Relations)
            {
                var terms = new StringBuilder();
                var rhs = 0.0;
                var any = false;
                foreach (var (cell, coef) in relation.Parts.Select(p => (p, 1)).Append((relation.Total, -1)))
                {
                    if (column.ContainsKey(cell))
                    {
                        terms.Append(coef > 0 ? " + " : " - ").Append(V(b, cell));
                        any = true;
                    }
                    else
                    {
                        rhs -= coef * cells[cell].Value;
                    }
                }

                if (any)
                {
                    lp.Append(CultureInfo.InvariantCulture, $" r{rows++}:").Append(terms).Append(" = ").AppendLine(Num(rhs));
                }
            }
        }

        lp.AppendLine("Bounds");
        for (var b = 0; b < blocks.Count; b++)
        {
            foreach (var c in suppressed)
            {
                var lo = cells[c].LowerBound;
                var hi = cells[c].UpperBound;
                if (c == blocks[b].Cell)
                {
                    if (blocks[b].Sense > 0)
                    {
                        lo = Math.Max(lo, blocks[b].Cap);
                    }
                    else
                    {
                        hi = Math.Min(hi, blocks[b].Cap);
                    }
                }

                lp.Append(' ').Append(Num(lo)).Append(" <= ").Append(V(b, c)).Append(" <= ").AppendLine(Num(hi));
            }
        }

        lp.AppendLine("End");
        var values = Glpsol.Solve(lp.ToString(), TimeSpan.FromSeconds(60));

        var result = new Dictionary<string, AuditInterval>(StringComparer.Ordinal);
        for (var b = 0; b < blocks.Count; b += 2)
        {
            var c = blocks[b].Cell;
            var min = values[(b * suppressed.Count) + column[c]];
            var max = values[((b + 1) * suppressed.Count) + column[c]];
            var tol = Tolerance(problem, c);
            result[cells[c].Id] = new AuditInterval(min, max, min <= blocks[b].Cap + tol, max >= blocks[b + 1].Cap - tol);
        }

        return result;
    }

    /// <summary>
    /// Asserts the result is protected according to GLPK: primaries all suppressed, every primary's interval
    /// reaches its requirement, and the solver's reported intervals agree with GLPK's.
    /// </summary>
    /// <param name="problem">The problem.</param>
    /// <param name="result">The suppressor's result.</param>
    /// <param name="primariesOnly">Audit only the primaries' intervals (for large tables; secondaries need no protection).</param>
    public static void AssertProtected(SuppressionProblem problem, SuppressionResult result, bool primariesOnly = false)
    {
        Assert.True(result.IsProtected, result.Message);
        foreach (var cell in problem.Cells.Where(c => c.IsPrimary))
        {
            Assert.Contains(cell.Id, result.SuppressedIds);
        }

        var audit = AssertIntervalsAgree(problem, result, primariesOnly);
        foreach (var cell in problem.Cells.Where(c => c.IsPrimary))
        {
            Assert.True(audit.ContainsKey(cell.Id), $"primary {cell.Id} not suppressed");
            var a = audit[cell.Id];
            var tol = Tolerance(problem, problem.IndexOf(cell.Id));
            Assert.True(a.Lower <= cell.Value - cell.LowerProtection + tol, $"GLPK: {cell.Id} min {a.Lower} > {cell.Value} - {cell.LowerProtection}");
            Assert.True(a.Upper >= cell.Value + cell.UpperProtection - tol, $"GLPK: {cell.Id} max {a.Upper} < {cell.Value} + {cell.UpperProtection}");
        }
    }

    /// <summary>
    /// Checks the solver's intervals against GLPK's for every primary cell (the solver computes no interval for a
    /// secondary, which needs no protection; GLPK's are returned for every suppressed cell unless <paramref name="primariesOnly"/>).
    /// </summary>
    public static Dictionary<string, AuditInterval> AssertIntervalsAgree(SuppressionProblem problem, SuppressionResult result, bool primariesOnly = false)
    {
        var targets = result.Cells.Where(c => !primariesOnly || c.Kind == SuppressionKind.Primary).ToList();
        Assert.All(targets, c => Assert.Equal(c.Kind == SuppressionKind.Primary, c.Interval is not null));
        // Cells nobody publishes are unknowns for the attacker as well as suppressed ones.
        var unknown = result.Cells.Select(c => c.Id).Concat(problem.Cells.Where(c => !c.IsPublished).Select(c => c.Id)).ToList();
        var audit = Intervals(problem, unknown, targets.Select(c => c.Id).ToList());
        foreach (var cell in targets.Where(c => c.Kind == SuppressionKind.Primary))
        {
            var reported = (cell.Id, Interval: cell.Interval!);
            var a = audit[reported.Id];
            var tol = Tolerance(problem, problem.IndexOf(reported.Id));
            if (a.LowerCapped)
            {
                Assert.True(reported.Interval.Lower <= a.Lower + tol, $"{reported.Id}: solver min {reported.Interval.Lower}, GLPK min ≤ {a.Lower}");
            }
            else
            {
                Assert.True(Math.Abs(reported.Interval.Lower - a.Lower) <= tol, $"{reported.Id}: solver min {reported.Interval.Lower} vs GLPK {a.Lower}");
            }

            if (a.UpperCapped)
            {
                Assert.True(reported.Interval.Upper >= a.Upper - tol, $"{reported.Id}: solver max {reported.Interval.Upper}, GLPK max ≥ {a.Upper}");
            }
            else
            {
                Assert.True(Math.Abs(reported.Interval.Upper - a.Upper) <= tol, $"{reported.Id}: solver max {reported.Interval.Upper} vs GLPK {a.Upper}");
            }
        }

        return audit;
    }

    public static double Tolerance(SuppressionProblem problem, int cell) =>
        (1e-6 * (1 + Math.Abs(problem.Cells[cell].Value))) + (1e-9 * problem.Cells.Max(c => Math.Abs(c.Value)));

    private static string Num(double x) => x switch
    {
        double.PositiveInfinity => "+inf",
        double.NegativeInfinity => "-inf",
        _ => x.ToString("R", CultureInfo.InvariantCulture),
    };
}
