namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Every deviation the searches found, kept so that a primary another deviation already moves needs no linear program.
/// </summary>
/// <remarks>
/// A deviation found for one primary moves other cells too, and often another primary: scaled so that this primary moves
/// by its own requirement, it is a deviation for that one as well (the relations are linear), as long as every cell it
/// moves is suppressed and stays within its a-priori bounds. The attacker's polytope is convex and holds the true
/// values, so such a deviation proves the requirement is met. A heuristic short cut only: the verification at the end
/// computes every interval by linear programming, whatever was found here.
/// </remarks>
internal sealed class WitnessPool
{
    private readonly SuppressionProblem _problem;
    private readonly double _scale;
    // Every kept deviation, the primary's own move included, and per cell the deviations that move it.
    private readonly List<Dictionary<int, double>> _deviations = [];
    private readonly Dictionary<int, List<int>> _moving = [];

    public WitnessPool(SuppressionProblem problem)
    {
        _problem = problem;
        _scale = problem.Cells.Count == 0 ? 0 : problem.Cells.Max(c => Math.Abs(c.Value));
    }

    /// <summary>Keeps the deviation that moves <paramref name="primary"/> by <paramref name="deviation"/> and the other cells as <paramref name="moved"/>.</summary>
    public void Add(int primary, double deviation, IReadOnlyDictionary<int, double> moved)
    {
        var kept = new Dictionary<int, double>(moved) { [primary] = deviation };
        var index = _deviations.Count;
        _deviations.Add(kept);
        foreach (var cell in kept.Keys)
        {
            if (!_moving.TryGetValue(cell, out var list))
            {
                list = [];
                _moving[cell] = list;
            }

            list.Add(index);
        }
    }

    /// <summary>
    /// A kept deviation, scaled, that moves <paramref name="primary"/> by <paramref name="deviation"/> over suppressed cells
    /// within their bounds (the other cells' moves, the primary left out); null when there is none.
    /// </summary>
    public IReadOnlyDictionary<int, double>? Find(IReadOnlySet<int> suppressed, int primary, double deviation)
    {
        if (!_moving.TryGetValue(primary, out var candidates))
        {
            return null;
        }

        foreach (var index in candidates)
        {
            var kept = _deviations[index];
            var factor = deviation / kept[primary];
            if (Fits(kept, factor, suppressed))
            {
                return kept.Where(m => m.Key != primary).ToDictionary(m => m.Key, m => m.Value * factor);
            }
        }

        return null;
    }

    private bool Fits(Dictionary<int, double> kept, double factor, IReadOnlySet<int> suppressed)
    {
        if (!double.IsFinite(factor))
        {
            return false;
        }

        // The primary too: its own a-priori bounds may not allow the move at all.
        foreach (var (c, y) in kept)
        {
            var cell = _problem.Cells[c];
            if (!suppressed.Contains(c) || !AttackerModel.StaysWithin(cell, y * factor, cell.LowerBound, cell.UpperBound, _scale))
            {
                return false;
            }
        }

        return true;
    }
}
