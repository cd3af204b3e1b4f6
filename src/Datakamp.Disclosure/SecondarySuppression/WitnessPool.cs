namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Every deviation the searches found, kept so that a primary another deviation already moves needs no linear program,
/// against an outsider or against an insider whose knowledge it respects.
/// </summary>
/// <remarks>
/// A deviation found for one primary moves other cells too, and often another primary: scaled so that this primary moves
/// by its own requirement, it is a deviation for that one as well (the relations are linear), as long as every cell it
/// moves is suppressed and stays within its a-priori bounds. The attacker's polytope is convex and holds the true
/// values, so such a deviation proves the requirement is met. A deviation is kept only when its relations add up
/// (checked once, when it is added: a solver's rounding slip costs a linear program later, never a wrong "safe"); its
/// bounds and cells are checked on every use, because the pattern changes. Against outsiders this is a short cut only:
/// the verification at the end computes every interval by linear programming, whatever was found here.
/// </remarks>
internal sealed class WitnessPool
{
    private readonly SuppressionProblem _problem;
    private readonly double _scale;
    private readonly List<int>[] _relationsOf;
    // Per relation: the stamp of the last check that added it up.
    private readonly int[] _relationChecked;
    private int _checkStamp;
    // Every kept deviation, the primary's own move included, and per cell the deviations that move it.
    private readonly List<Dictionary<int, double>> _deviations = [];
    private readonly Dictionary<int, List<int>> _moving = [];

    public WitnessPool(SuppressionProblem problem)
    {
        _problem = problem;
        _scale = problem.Cells.Count == 0 ? 0 : problem.Cells.Max(c => Math.Abs(c.Value));
        _relationsOf = new List<int>[problem.Cells.Count];
        for (var c = 0; c < _relationsOf.Length; c++)
        {
            _relationsOf[c] = [];
        }

        for (var r = 0; r < problem.Relations.Count; r++)
        {
            var relation = problem.Relations[r];
            _relationsOf[relation.Total].Add(r);
            foreach (var part in relation.Parts)
            {
                _relationsOf[part].Add(r);
            }
        }

        _relationChecked = new int[problem.Relations.Count];
    }

    /// <summary>
    /// Keeps the deviation that moves <paramref name="primary"/> by <paramref name="deviation"/> and the other cells as
    /// <paramref name="moved"/>; false (and not kept) when its relations do not add up.
    /// </summary>
    public bool Add(int primary, double deviation, IReadOnlyDictionary<int, double> moved)
    {
        var kept = new Dictionary<int, double>(moved) { [primary] = deviation };
        if (!AddsUp(kept, Math.Abs(deviation)))
        {
            return false;
        }

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

        return true;
    }

    /// <summary>
    /// Every kept deviation that, scaled, moves <paramref name="primary"/> by <paramref name="deviation"/> over suppressed
    /// cells within their bounds, in the order they were kept.
    /// </summary>
    public IEnumerable<ScaledDeviation> Fitting(IReadOnlySet<int> suppressed, int primary, double deviation)
    {
        if (!_moving.TryGetValue(primary, out var candidates))
        {
            yield break;
        }

        foreach (var index in candidates)
        {
            var kept = _deviations[index];
            var factor = deviation / kept[primary];
            if (Fits(kept, factor, suppressed))
            {
                yield return new ScaledDeviation(kept, factor);
            }
        }
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

    /// <summary>
    /// Whether every relation through a moved cell still adds up, within the solver's accuracy and the moves it rounded
    /// away (<paramref name="size"/> is the primary's move).
    /// </summary>
    private bool AddsUp(Dictionary<int, double> moves, double size)
    {
        _checkStamp++;
        foreach (var c in moves.Keys)
        {
            foreach (var r in _relationsOf[c])
            {
                if (_relationChecked[r] == _checkStamp)
                {
                    continue; // a relation through several moved cells is added up once
                }

                _relationChecked[r] = _checkStamp;
                var relation = _problem.Relations[r];
                var total = moves.GetValueOrDefault(relation.Total);
                var residual = -total;
                var magnitude = Math.Abs(total);
                foreach (var part in relation.Parts)
                {
                    var y = moves.GetValueOrDefault(part);
                    residual += y;
                    magnitude += Math.Abs(y);
                }

                if (Math.Abs(residual) > (1e-5 * (size + magnitude)) + (1e-9 * _scale))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
