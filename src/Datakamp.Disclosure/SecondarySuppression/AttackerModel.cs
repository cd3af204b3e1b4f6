using Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// The attacker's view of a suppression pattern: unknowns are the suppressed cells, published cells are
/// constants, every relation is an equality and every unknown lies within its a-priori bounds. The feasible
/// interval of a suppressed cell is [min, max] of that cell over this polytope.
/// </summary>
/// <remarks>
/// The polytope is split into independent components (suppressed cells linked through relations) and each
/// component is loaded once into an <see cref="LpSolver"/> (GLOP) and re-used, from the previous basis, for the min
/// and max of every unknown; a component with many unknowns is loaded once per core and its unknowns shared out. The true values are always a feasible point, so "infeasible" here means a broken problem.
/// </remarks>
public static class AttackerModel
{
    /// <summary>Relative tolerance used when comparing intervals to protection requirements.</summary>
    public const double RelativeTolerance = 1e-7;

    /// <summary>Absolute tolerance for a cell with the given value in a table whose largest absolute value is <paramref name="scale"/>.</summary>
    public static double ToleranceFor(double value, double scale) => (RelativeTolerance * (1 + Math.Abs(value))) + (1e-9 * scale);

    /// <summary>Whether moving <paramref name="cell"/> by <paramref name="move"/> keeps it within [<paramref name="lower"/>, <paramref name="upper"/>], up to <see cref="ToleranceFor"/>.</summary>
    public static bool StaysWithin(SuppressionCell cell, double move, double lower, double upper, double scale)
    {
        var moved = cell.Value + move;
        var tolerance = ToleranceFor(cell.Value, scale);
        return moved >= lower - tolerance && moved <= upper + tolerance;
    }

    /// <summary>Feasible intervals of all suppressed cells.</summary>
    public static IReadOnlyDictionary<int, FeasibleInterval> Intervals(SuppressionProblem problem, IReadOnlySet<int> suppressed) =>
        Intervals(problem, suppressed, suppressed);

    /// <summary>Feasible intervals of the <paramref name="targets"/> (a subset of the suppressed cells).</summary>
    public static IReadOnlyDictionary<int, FeasibleInterval> Intervals(SuppressionProblem problem, IReadOnlySet<int> suppressed, IEnumerable<int> targets)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(suppressed);
        ArgumentNullException.ThrowIfNull(targets);
        var wanted = targets.ToHashSet();
        var work = new List<(Component Component, int[] Targets)>();
        foreach (var component in Components(problem, suppressed))
        {
            var inComponent = component.Cells.Where(wanted.Contains).ToArray();
            foreach (var share in Shares(inComponent))
            {
                work.Add((component, share));
            }
        }

        // Each share is loaded into a solver of its own, so the shares run side by side on every core; a share's
        // cells are always solved in the same order from the same program, so the result does not depend on timing.
        var found = new (int Cell, FeasibleInterval Interval)[work.Count][];
        Parallel.For(0, work.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (component, share) = work[i];
            var (lp, column) = BuildLp(problem, component);
            using var solver = new LpSolver(lp);
            var cost = new double[lp.VariableCount];
            found[i] = new (int, FeasibleInterval)[share.Length];
            for (var k = 0; k < share.Length; k++)
            {
                var j = column[share[k]];
                cost[j] = 1;
                var min = solver.Minimize(cost, withValues: false);
                cost[j] = -1;
                var max = solver.Minimize(cost, withValues: false);
                cost[j] = 0;
                found[i][k] = (share[k], new FeasibleInterval(Bound(min, +1), Bound(max, -1), IsClean(min) && IsClean(max)));
            }
        });

        return found.SelectMany(share => share).ToDictionary(x => x.Cell, x => x.Interval);
    }

    /// <summary>
    /// The cells of one component in shares for the cores: a component with many cells is split, one share per core,
    /// each share costing one more load of the program; a small one stays whole.
    /// </summary>
    private static IEnumerable<int[]> Shares(int[] cells)
    {
        const int SmallestShare = 32;
        if (cells.Length == 0)
        {
            return [];
        }

        var count = Math.Clamp(cells.Length / SmallestShare, 1, Environment.ProcessorCount);
        return cells.Chunk((cells.Length + count - 1) / count);
    }

    /// <summary>
    /// True when every primary cell in <paramref name="suppressed"/> meets its protection requirement.
    /// Stops at the first failure (used to test candidate patterns cheaply).
    /// </summary>
    /// <param name="problem">The problem.</param>
    /// <param name="suppressed">The suppression pattern.</param>
    /// <param name="only">When given, only these primaries are checked.</param>
    public static bool AllPrimariesProtected(SuppressionProblem problem, IReadOnlySet<int> suppressed, IReadOnlySet<int>? only = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(suppressed);
        var scale = problem.Cells.Count == 0 ? 0 : problem.Cells.Max(c => Math.Abs(c.Value));
        foreach (var component in Components(problem, suppressed))
        {
            var primaries = component.Cells.Where(c => problem.Cells[c].IsPrimary && (only is null || only.Contains(c))).ToList();
            if (primaries.Count == 0)
            {
                continue;
            }

            var (lp, column) = BuildLp(problem, component);
            using var solver = new LpSolver(lp);
            var cost = new double[lp.VariableCount];
            foreach (var p in primaries)
            {
                var cell = problem.Cells[p];
                var tolerance = ToleranceFor(cell.Value, scale);
                var j = column[p];
                if (cell.LowerProtection > 0)
                {
                    cost[j] = 1;
                    var min = solver.Minimize(cost, withValues: false);
                    cost[j] = 0;
                    if (!IsClean(min) || Bound(min, +1) > cell.Value - cell.LowerProtection + tolerance)
                    {
                        return false;
                    }
                }

                if (cell.UpperProtection > 0)
                {
                    cost[j] = -1;
                    var max = solver.Minimize(cost, withValues: false);
                    cost[j] = 0;
                    if (!IsClean(max) || Bound(max, -1) < cell.Value + cell.UpperProtection - tolerance)
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static bool IsClean(LpResult r) => r.Status is LpStatus.Optimal or LpStatus.Unbounded;

    private static double Bound(LpResult r, int sign) => r.Status switch
    {
        LpStatus.Optimal => sign * r.Objective,
        LpStatus.Unbounded => sign > 0 ? double.NegativeInfinity : double.PositiveInfinity,
        _ => double.NaN,
    };

    private static (LinearProgram Lp, Dictionary<int, int> Column) BuildLp(SuppressionProblem problem, Component component)
    {
        var column = new Dictionary<int, int>();
        foreach (var c in component.Cells)
        {
            column[c] = column.Count;
        }

        var lp = new LinearProgram(column.Count);
        foreach (var (c, j) in column)
        {
            var cell = problem.Cells[c];
            lp.SetBounds(j, cell.LowerBound, cell.UpperBound);
        }

        foreach (var r in component.Relations)
        {
            var relation = problem.Relations[r];
            var vars = new List<int>();
            var coefs = new List<double>();
            var rhs = 0.0;
            void Term(int cell, double coef)
            {
                if (column.TryGetValue(cell, out var j))
                {
                    vars.Add(j);
                    coefs.Add(coef);
                }
                else
                {
                    rhs -= coef * problem.Cells[cell].Value;
                }
            }

            Term(relation.Total, -1);
            foreach (var part in relation.Parts)
            {
                Term(part, 1);
            }

            lp.AddEquality(vars, coefs, rhs);
        }

        return (lp, column);
    }

    /// <summary>Connected components of suppressed cells, joined by relations that contain them.</summary>
    private static List<Component> Components(SuppressionProblem problem, IReadOnlySet<int> suppressed)
    {
        var parent = new Dictionary<int, int>();
        foreach (var s in suppressed)
        {
            parent[s] = s;
        }

        int Find(int a)
        {
            while (parent[a] != a)
            {
                parent[a] = parent[parent[a]];
                a = parent[a];
            }

            return a;
        }

        var relationCells = new List<(int Relation, int First)>();
        for (var r = 0; r < problem.Relations.Count; r++)
        {
            var relation = problem.Relations[r];
            var first = -1;
            foreach (var c in relation.Parts.Append(relation.Total))
            {
                if (!suppressed.Contains(c))
                {
                    continue;
                }

                if (first < 0)
                {
                    first = c;
                }
                else
                {
                    parent[Find(c)] = Find(first);
                }
            }

            if (first >= 0)
            {
                relationCells.Add((r, first));
            }
        }

        var byRoot = new Dictionary<int, Component>();
        foreach (var s in suppressed.Order())
        {
            var root = Find(s);
            if (!byRoot.TryGetValue(root, out var comp))
            {
                comp = new Component();
                byRoot[root] = comp;
            }

            comp.Cells.Add(s);
        }

        foreach (var (r, first) in relationCells)
        {
            byRoot[Find(first)].Relations.Add(r);
        }

        return byRoot.Values.ToList();
    }

    private sealed class Component
    {
        public List<int> Cells { get; } = [];

        public List<int> Relations { get; } = [];
    }
}
