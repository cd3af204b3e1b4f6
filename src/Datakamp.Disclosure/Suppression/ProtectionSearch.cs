using Datakamp.Disclosure.Suppression.LinearProgramming;

namespace Datakamp.Disclosure.Suppression;

/// <summary>
/// For one primary cell and one direction, finds cheap complementary cells that let the attacker's
/// feasible interval reach the required protection level.
/// </summary>
/// <remarks>
/// <para>Fact used: the attacker's polytope is convex and contains the true values <c>a</c>. So the cell's
/// maximum reaches <c>a_p + U</c> exactly when there is a deviation <c>y</c> with <c>y_p = U</c>, every
/// relation still balanced (<c>A y = 0</c>), <c>y_j = 0</c> on published cells, and <c>a + y</c> within the
/// a-priori bounds (likewise for the minimum with <c>y_p = -L</c>).</para>
/// <para>The search solves, over all cells allowed to move, the LP
/// <c>min Σ w_j (y⁺_j + y⁻_j)</c> s.t. <c>A (y⁺ - y⁻) = 0</c>, <c>y_p = ±req</c>,
/// <c>0 ≤ y⁺_j ≤ ub_j - a_j</c>, <c>0 ≤ y⁻_j ≤ a_j - lb_j</c>, with <c>w_j = 0</c> for cells already
/// suppressed and <c>w_j = cost_j</c> otherwise. This is the classical LP relaxation of the
/// Fischetti–Salazar protection-level model for a single primary and direction: because a feasible
/// deviation moves cells of a closed path by (about) <c>req</c> each, the objective approximates
/// <c>req × (sum of costs of the new cells)</c>. Cells with non-zero deviation become secondaries; the
/// deviation then exists in the attacker's polytope, so the requirement is met, and later additions can
/// only enlarge the polytope.</para>
/// </remarks>
internal sealed class ProtectionSearch
{
    /// <summary>Sub-table sizes tried before the whole table: k cheapest alternative categories per dimension.</summary>
    private static readonly int[] SubtableSizes = [2, 5];

    private readonly SuppressionProblem _problem;
    private readonly List<int>[] _relationsOfCell;
    private readonly string[] _dimensions;
    private readonly string?[]?[] _coordinates;
    private readonly List<string?>[] _labels;
    private readonly Dictionary<string, int> _cellByCoordinates = new(StringComparer.Ordinal);

    public ProtectionSearch(SuppressionProblem problem)
    {
        _problem = problem;
        _relationsOfCell = new List<int>[problem.Cells.Count];
        for (var c = 0; c < problem.Cells.Count; c++)
        {
            _relationsOfCell[c] = [];
        }

        for (var r = 0; r < problem.Relations.Count; r++)
        {
            var relation = problem.Relations[r];
            _relationsOfCell[relation.Total].Add(r);
            foreach (var part in relation.Parts)
            {
                _relationsOfCell[part].Add(r);
            }
        }

        // Table coordinates (when every cell has them): dimension list, labels per dimension (null = total).
        var cells = problem.Cells;
        _coordinates = new string?[]?[cells.Count];
        if (cells.Count > 0 && cells.All(c => c.Coordinates is not null))
        {
            _dimensions = cells.SelectMany(c => c.Coordinates!.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }
        else
        {
            _dimensions = [];
        }

        _labels = new List<string?>[_dimensions.Length];
        for (var d = 0; d < _dimensions.Length; d++)
        {
            var name = _dimensions[d];
            _labels[d] = cells.Select(c => c.Coordinates!.GetValueOrDefault(name)).Distinct().ToList();
        }

        if (_dimensions.Length > 0)
        {
            for (var c = 0; c < cells.Count; c++)
            {
                var coords = _dimensions.Select(name => cells[c].Coordinates!.GetValueOrDefault(name)).ToArray();
                _coordinates[c] = coords;
                _cellByCoordinates[Key(coords)] = c;
            }
        }
    }

    /// <summary>Number of LPs solved (diagnostics).</summary>
    public int LpCount { get; private set; }

    /// <summary>
    /// True when the requirement is already met by moving only suppressed cells.
    /// </summary>
    /// <remarks>
    /// For tables only the suppressed cells of a sub-table around the primary are tried (cheap); a negative
    /// answer is not final, because <see cref="FindComplement"/> re-uses every suppressed cell at zero cost.
    /// </remarks>
    public SearchOutcome AlreadyProtected(IReadOnlySet<int> suppressed, int primary, double deviation)
    {
        var allowed = _coordinates[primary] is { } origin ? Subtable(origin, suppressed, deviation, SubtableSizes[^1]) : null;
        return Solve(suppressed, primary, deviation, onlySuppressed: true, allowed);
    }

    /// <summary>
    /// Cheapest (LP-relaxation) set of extra cells to suppress; empty when none are needed.
    /// For tables, new cells are first sought in small sub-tables around the primary (the k cheapest
    /// alternative categories per dimension, plus every already suppressed cell), then in the whole problem;
    /// <see cref="SearchStatus.Impossible"/> is only concluded from the whole problem.
    /// </summary>
    public SearchOutcome FindComplement(IReadOnlySet<int> suppressed, int primary, double deviation)
    {
        if (_coordinates[primary] is { } origin)
        {
            foreach (var k in SubtableSizes)
            {
                if (_labels.All(l => l.Count <= k + 1))
                {
                    break; // the sub-table would be the whole table
                }

                var allowed = Subtable(origin, suppressed, deviation, k);
                var outcome = Solve(suppressed, primary, deviation, onlySuppressed: false, allowed);
                if (outcome.Status == SearchStatus.Found)
                {
                    return outcome;
                }
            }
        }

        return Solve(suppressed, primary, deviation, onlySuppressed: false, allowed: null);
    }

    private static string Key(string?[] coordinates) => string.Join("\u001f", coordinates.Select(c => c ?? "\u001e"));

    /// <summary>Per dimension: the primary's label plus the k labels whose line neighbour of the primary is cheapest (able cells first).</summary>
    private Func<int, bool> Subtable(string?[] origin, IReadOnlySet<int> suppressed, double deviation, int k)
    {
        var cells = _problem.Cells;
        var chosen = new HashSet<string?>[_dimensions.Length];
        for (var d = 0; d < _dimensions.Length; d++)
        {
            var ranked = new List<(bool TooSmall, double Cost, string? Label)>();
            foreach (var label in _labels[d])
            {
                if (label == origin[d])
                {
                    continue;
                }

                var coords = (string?[])origin.Clone();
                coords[d] = label;
                if (!_cellByCoordinates.TryGetValue(Key(coords), out var q))
                {
                    continue;
                }

                var cell = cells[q];
                var capacity = Math.Min(cell.UpperBound - cell.Value, cell.Value - cell.LowerBound);
                var cost = suppressed.Contains(q) ? 0 : cell.MaySuppress ? cell.EffectiveCost : double.PositiveInfinity;
                ranked.Add((capacity < Math.Abs(deviation), cost, label));
            }

            chosen[d] = ranked.OrderBy(r => r.TooSmall).ThenBy(r => r.Cost).Take(k).Select(r => r.Label).Append(origin[d]).ToHashSet();
        }

        return c =>
        {
            var coords = _coordinates[c];
            if (coords is null)
            {
                return false;
            }

            for (var d = 0; d < coords.Length; d++)
            {
                if (!chosen[d].Contains(coords[d]))
                {
                    return false;
                }
            }

            return true;
        };
    }

    private SearchOutcome Solve(IReadOnlySet<int> suppressed, int primary, double deviation, bool onlySuppressed, Func<int, bool>? allowed)
    {
        var cells = _problem.Cells;
        var target = cells[primary].Value + deviation;
        if (target < cells[primary].LowerBound || target > cells[primary].UpperBound)
        {
            // The required range leaves what every attacker knows a priori: no pattern can provide it.
            return SearchOutcome.Impossible;
        }

        bool Movable(int c) => c == primary || (onlySuppressed
            ? suppressed.Contains(c) && (allowed is null || allowed(c))
            : suppressed.Contains(c) || (cells[c].MaySuppress && (allowed is null || allowed(c))));

        // Cells reachable from the primary through relations among movable cells; others stay at deviation 0.
        var reach = new List<int> { primary };
        var inReach = new HashSet<int> { primary };
        var relations = new List<int>();
        var relationSeen = new HashSet<int>();
        for (var k = 0; k < reach.Count; k++)
        {
            foreach (var r in _relationsOfCell[reach[k]])
            {
                if (!relationSeen.Add(r))
                {
                    continue;
                }

                relations.Add(r);
                var relation = _problem.Relations[r];
                foreach (var c in relation.Parts.Append(relation.Total))
                {
                    if (Movable(c) && inReach.Add(c))
                    {
                        reach.Add(c);
                    }
                }
            }
        }

        // Columns: the primary (fixed at the deviation), then y+ and y- for every other reachable cell.
        var plus = new Dictionary<int, int>();
        var minus = new Dictionary<int, int>();
        var lower = new List<double> { deviation };
        var upper = new List<double> { deviation };
        var weight = new List<double> { 0 };
        foreach (var c in reach)
        {
            if (c == primary)
            {
                continue;
            }

            var cell = cells[c];
            var w = suppressed.Contains(c) ? 0 : cell.EffectiveCost;
            var up = cell.UpperBound - cell.Value;
            var down = cell.Value - cell.LowerBound;
            if (up > 0)
            {
                plus[c] = lower.Count;
                lower.Add(0);
                upper.Add(up);
                weight.Add(w);
            }

            if (down > 0)
            {
                minus[c] = lower.Count;
                lower.Add(0);
                upper.Add(down);
                weight.Add(w);
            }
        }

        var lp = new LinearProgram(lower.Count);
        for (var j = 0; j < lower.Count; j++)
        {
            lp.SetBounds(j, lower[j], upper[j]);
        }

        foreach (var r in relations)
        {
            var relation = _problem.Relations[r];
            var vars = new List<int>();
            var coefs = new List<double>();
            void Term(int c, double coef)
            {
                if (c == primary)
                {
                    vars.Add(0);
                    coefs.Add(coef);
                    return;
                }

                if (plus.TryGetValue(c, out var jp))
                {
                    vars.Add(jp);
                    coefs.Add(coef);
                }

                if (minus.TryGetValue(c, out var jm))
                {
                    vars.Add(jm);
                    coefs.Add(-coef);
                }
            }

            Term(relation.Total, -1);
            foreach (var part in relation.Parts)
            {
                Term(part, 1);
            }

            lp.AddEquality(vars, coefs, 0);
        }

        LpCount++;
        using var solver = new LpSolver(lp);
        var result = solver.Minimize(onlySuppressed ? new double[lower.Count] : weight.ToArray());
        switch (result.Status)
        {
            case LpStatus.Optimal:
                break;
            case LpStatus.Infeasible:
                return SearchOutcome.Impossible;
            default:
                return SearchOutcome.Failed;
        }

        var threshold = 1e-7 * Math.Abs(deviation);
        var added = new List<int>();
        foreach (var c in reach)
        {
            if (c == primary || suppressed.Contains(c))
            {
                continue;
            }

            var y = (plus.TryGetValue(c, out var jp) ? result.Values[jp] : 0) - (minus.TryGetValue(c, out var jm) ? result.Values[jm] : 0);
            if (Math.Abs(y) > threshold)
            {
                added.Add(c);
            }
        }

        return new SearchOutcome(SearchStatus.Found, added);
    }
}
