using Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>The GLOP-backed solver as the suppression code uses it: statuses, many objectives on one program, and agreement with GLPK.</summary>
public sealed class LpSolverTests
{
    private static LpResult Solve(LinearProgram lp, double[] cost)
    {
        using var solver = new LpSolver(lp);
        return solver.Minimize(cost);
    }

    [Fact]
    public void SolvesSmallLpWithBoundsAndFreeVariable()
    {
        // min x0 - x1 + 0 x2  s.t. x0 + x1 = 5, x0 - x2 = -1; 0 ≤ x0 ≤ 3, x1 free, x2 ≥ 0.
        // Optimum: x0 = 0 (then x2 = 1), x1 = 5: objective -5.
        var lp = new LinearProgram(3);
        lp.SetBounds(0, 0, 3);
        lp.SetBounds(1, double.NegativeInfinity, double.PositiveInfinity);
        lp.AddEquality([0, 1], [1, 1], 5);
        lp.AddEquality([0, 2], [1, -1], -1);
        var r = Solve(lp, [1, -1, 0]);
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.Equal(-5, r.Objective, 9);
        Assert.Equal(1, r.Values[2], 9);
    }

    [Fact]
    public void DetectsInfeasibility()
    {
        var lp = new LinearProgram(2);
        lp.SetBounds(0, 0, 1);
        lp.SetBounds(1, 0, 1);
        lp.AddEquality([0, 1], [1, 1], 3);
        Assert.Equal(LpStatus.Infeasible, Solve(lp, [0, 0]).Status);
    }

    [Fact]
    public void DetectsUnboundedness()
    {
        var lp = new LinearProgram(2);
        lp.AddEquality([0, 1], [1, -1], 1);
        Assert.Equal(LpStatus.Unbounded, Solve(lp, [0, -1]).Status);
    }

    [Fact]
    public void WarmStartsAcrossObjectives()
    {
        // x + y + z = 10, bounds [0, 6] each. min/max of each variable: [0, 6].
        var lp = new LinearProgram(3);
        for (var j = 0; j < 3; j++)
        {
            lp.SetBounds(j, 0, 6);
        }

        lp.AddEquality([0, 1, 2], [1, 1, 1], 10);
        using var s = new LpSolver(lp);
        for (var j = 0; j < 3; j++)
        {
            var c = new double[3];
            c[j] = 1;
            Assert.Equal(0, s.Minimize(c).Objective, 9);
            c[j] = -1;
            Assert.Equal(-6, s.Minimize(c).Objective, 9);
        }
    }

    [Fact]
    public void MatchesGlpkOnRandomLps()
    {
        Glpsol.Require();
        for (var seed = 0; seed < 20; seed++)
        {
            var rng = new Random(seed);
            var n = rng.Next(3, 12);
            var m = rng.Next(1, n);
            var lp = new LinearProgram(n);
            var x0 = new double[n];
            var text = new System.Text.StringBuilder("Minimize\n obj:");
            var cost = new double[n];
            for (var j = 0; j < n; j++)
            {
                cost[j] = rng.Next(-5, 6);
                text.Append(cost[j] < 0 ? " - " : " + ").Append(Math.Abs(cost[j])).Append(" x").Append(j);
                lp.SetBounds(j, -rng.Next(0, 5), rng.Next(1, 8));
                x0[j] = rng.Next((int)lp.Lower[j], (int)lp.Upper[j] + 1);
            }

            text.Append("\nSubject To\n");
            for (var i = 0; i < m; i++)
            {
                var vars = Enumerable.Range(0, n).Where(_ => rng.NextDouble() < 0.6).ToList();
                if (vars.Count == 0)
                {
                    vars.Add(0);
                }

                var coefs = vars.Select(_ => (double)rng.Next(-3, 4)).ToList();
                var rhs = vars.Select((v, k) => coefs[k] * x0[v]).Sum(); // feasible by construction
                lp.AddEquality(vars, coefs, rhs);
                text.Append(" r").Append(i).Append(':');
                for (var k = 0; k < vars.Count; k++)
                {
                    text.Append(coefs[k] < 0 ? " - " : " + ").Append(Math.Abs(coefs[k])).Append(" x").Append(vars[k]);
                }

                text.Append(" = ").Append(rhs).Append('\n');
            }

            text.Append("Bounds\n");
            for (var j = 0; j < n; j++)
            {
                text.Append(' ').Append(lp.Lower[j]).Append(" <= x").Append(j).Append(" <= ").Append(lp.Upper[j]).Append('\n');
            }

            text.Append("End\n");
            var ours = Solve(lp, cost);
            var theirs = Glpsol.Solve(text.ToString(), TimeSpan.FromSeconds(20));
            Assert.Equal(LpStatus.Optimal, ours.Status);
            Assert.Equal(Enumerable.Range(0, n).Sum(j => cost[j] * theirs[j]), ours.Objective, 6);
        }
    }
}
