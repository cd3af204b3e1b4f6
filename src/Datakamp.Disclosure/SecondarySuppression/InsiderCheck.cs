namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Whether a primary keeps its protection against an insider: the largest contributor of another suppressed cell,
/// who knows that cell is at least its own contribution, or exactly when it is the only contributor
/// (<see cref="ContributorKnowledge"/>). A row of two suppressed one-person cells and a published total is safe
/// from outsiders and open to either person, who subtracts their own value.
/// </summary>
/// <remarks>
/// <para>Each insider is checked on their own, not as a coalition: a respondent knows their own contributions,
/// not those of others. An insider is a unit: one who is the largest contributor of several suppressed cells (a
/// household in two age bands, a business in the table by region and the one by industry) knows all of them at
/// once (<see cref="ContributorKnowledge.Unit"/>; a cell whose contributor is not identified is an insider of its own).
/// The cell's own largest contributor is not an attacker of that cell (the primary rules protect them against the
/// others), and neither is the same contributor seen through a cell that contains the primary or lies inside it; they
/// do attack with what they know of their other cells.</para>
/// <para>Cheap first. Every deviation a linear program found, for any primary, is kept in the <see cref="WitnessPool"/>:
/// a way a primary moves by its protection while every suppressed cell stays within what an attacker knows. Scaled, it
/// is a witness for every other primary it moves, while each cell it moves is still suppressed (suppressing more cells
/// only adds freedom) and within its bounds (the pool checks both on every use, and the relations once, so a rounding
/// slip costs a linear program, never a wrong "safe"). An insider whose knowledge some witness respects cannot pin
/// the primary. The clean-up, which removes one secondary at a time and asks again for every primary, is answered
/// almost entirely from witnesses. For the insiders left, one program: the outsider's smallest deviation in which
/// moving an insider's cell beyond what that insider knows costs a
/// thousand times more than any other move. It respects every insider it can; the program is asked again for those it
/// does not respect, as long as that helps. Only an insider no such deviation respects gets a linear program of their
/// own, which decides. (A coalition of all insiders at once, tried first before, pinned most primaries, and then every
/// insider needed a program of their own.)</para>
/// <para>Limits: only a cell's largest contributor is an insider (ties: the unit with the smallest code); what a unit
/// knows of cells where it is not the largest contributor is left out.</para>
/// </remarks>
internal sealed class InsiderCheck
{
    private readonly SuppressionProblem _problem;
    private readonly ProtectionSearch _search;
    private readonly List<int>[] _containing;
    private readonly List<int>[] _contained;
    private readonly WitnessPool _witnesses;
    private readonly double _scale;
    private readonly Dictionary<int, HashSet<int>> _nested = [];

    public InsiderCheck(SuppressionProblem problem, ProtectionSearch search, WitnessPool witnesses)
    {
        _problem = problem;
        _search = search;
        _witnesses = witnesses;
        var count = problem.Cells.Count;
        _containing = new List<int>[count];
        _contained = new List<int>[count];
        for (var c = 0; c < count; c++)
        {
            _containing[c] = [];
            _contained[c] = [];
        }

        foreach (var relation in problem.Relations)
        {
            foreach (var part in relation.Parts)
            {
                _containing[part].Add(relation.Total);
                _contained[relation.Total].Add(part);
            }
        }

        _scale = count == 0 ? 0 : problem.Cells.Max(c => Math.Abs(c.Value));
        HasInsiders = problem.Cells.Any(c => Tightens(c));
    }

    /// <summary>True when some cell has an insider who knows more than the a-priori bounds.</summary>
    public bool HasInsiders { get; }

    /// <summary>
    /// The first insider against whom moving <paramref name="primary"/> by <paramref name="deviation"/> is impossible
    /// with the cells suppressed now; <see cref="InsiderFinding.Safe"/> when there is none.
    /// </summary>
    public InsiderFinding FirstBreach(IReadOnlySet<int> suppressed, int primary, double deviation)
    {
        var insiders = Insiders(suppressed, primary);
        if (insiders.Count == 0)
        {
            return InsiderFinding.Safe;
        }

        // Every deviation found so far that still holds, for any primary, scaled to this one.
        foreach (var witness in _witnesses.Fitting(suppressed, primary, deviation))
        {
            insiders.RemoveAll(insider => Array.TrueForAll(insider, q => Respects(witness.Of(q), q)));
            if (insiders.Count == 0)
            {
                return InsiderFinding.Safe;
            }
        }

        // One program for all of them: the outsider's deviation that moves their cells beyond what they know only where
        // it must. It respects most of them at once; the program is asked again for those it does not respect, as long
        // as that respects more of them. Only the insiders left get a program of their own. The first program also tells
        // an outsider's impossibility (reported by the outsider check) from an insider's.
        var pending = insiders;
        for (var round = 0; pending.Count > 0 && (round == 0 || pending.Count > 1); round++)
        {
            var outsider = _search.SmallestDeviationAvoiding(suppressed, primary, deviation, KnowledgeOf(pending.SelectMany(insider => insider)));
            switch (outsider.Status)
            {
                case SearchStatus.Impossible:
                    return InsiderFinding.Safe; // short against everyone: the outsider check reports it
                case SearchStatus.Failed:
                    return InsiderFinding.NotEvaluated;
            }

            _witnesses.Add(primary, deviation, outsider.Deviation);
            var left = pending.FindAll(insider => !Respects(outsider.Deviation, insider));
            if (left.Count == pending.Count)
            {
                break;
            }

            pending = left;
        }

        var found = new List<IReadOnlyDictionary<int, double>>();
        foreach (var insider in pending)
        {
            if (found.Exists(w => Respects(w, insider)))
            {
                continue;
            }

            var knowledge = KnowledgeOf(insider);
            var own = _search.SmallestDeviation(suppressed, primary, deviation, knowledge);
            switch (own.Status)
            {
                case SearchStatus.Found:
                    found.Add(own.Deviation);
                    _witnesses.Add(primary, deviation, own.Deviation);
                    break;
                case SearchStatus.Impossible:
                    return new InsiderFinding(InsiderStatus.Breach, insider[0], knowledge);
                default:
                    return InsiderFinding.NotEvaluated;
            }
        }

        return InsiderFinding.Safe;
    }

    private (double Lower, double Upper) Knowledge(int q)
    {
        var cell = _problem.Cells[q];
        return cell.LargestContributor!.BoundsOn(cell.Value, cell.LowerBound, cell.UpperBound);
    }

    /// <summary>What the insider of these cells knows: per cell, its bounds.</summary>
    private Dictionary<int, (double Lower, double Upper)> KnowledgeOf(IEnumerable<int> cells) => cells.ToDictionary(q => q, Knowledge);

    private static bool Tightens(SuppressionCell cell) =>
        cell.LargestContributor is { } k && (k.OnlyContributor || k.Contribution > cell.LowerBound);

    /// <summary>
    /// The insiders who may attack the primary, each as the suppressed cells they know (in cell order), ordered by their
    /// first cell, so the breach reported first does not depend on the set's order.
    /// </summary>
    private List<int[]> Insiders(IReadOnlySet<int> suppressed, int primary)
    {
        var cells = _problem.Cells;
        var own = cells[primary].LargestContributor;
        var known = new List<int>();
        foreach (var q in suppressed)
        {
            if (q == primary || !Tightens(cells[q]))
            {
                continue;
            }

            // The primary's own largest contributor, seen through a cell that contains the primary or lies inside it.
            if (own is not null && IsSameContributor(own, cells[q].LargestContributor!) && NestedIn(primary).Contains(q))
            {
                continue;
            }

            known.Add(q);
        }

        known.Sort();
        // One insider per unit, in the order of their first cells; a cell whose contributor is not identified is an
        // insider of its own.
        var insiders = new List<List<int>>();
        var insiderOfUnit = new Dictionary<int, List<int>>();
        foreach (var q in known)
        {
            if (cells[q].LargestContributor!.Unit is not { } unit)
            {
                insiders.Add([q]);
            }
            else if (insiderOfUnit.TryGetValue(unit, out var insider))
            {
                insider.Add(q);
            }
            else
            {
                insiderOfUnit[unit] = [q];
                insiders.Add(insiderOfUnit[unit]);
            }
        }

        return insiders.ConvertAll(insider => insider.ToArray());
    }

    /// <summary>The same contributor: the same unit when both are identified, else the same largest contribution.</summary>
    private static bool IsSameContributor(ContributorKnowledge a, ContributorKnowledge b) =>
        a.Unit is { } x && b.Unit is { } y ? x == y : a.Contribution == b.Contribution;

    /// <summary>Cells that contain <paramref name="cell"/> or lie inside it (the relations never change: found once per cell).</summary>
    private HashSet<int> NestedIn(int cell)
    {
        if (!_nested.TryGetValue(cell, out var found))
        {
            found = Nested(cell);
            _nested[cell] = found;
        }

        return found;
    }

    /// <summary>Cells that contain <paramref name="cell"/> or lie inside it, through the relations.</summary>
    private HashSet<int> Nested(int cell)
    {
        var result = new HashSet<int>();
        foreach (var links in new[] { _containing, _contained })
        {
            var queue = new Queue<int>([cell]);
            while (queue.Count > 0)
            {
                foreach (var next in links[queue.Dequeue()])
                {
                    if (result.Add(next))
                    {
                        queue.Enqueue(next);
                    }
                }
            }
        }

        return result;
    }

    /// <summary>Whether a deviation stays within what the insider of these cells knows of every one of them.</summary>
    private bool Respects(IReadOnlyDictionary<int, double> deviation, int[] insider) =>
        Array.TrueForAll(insider, q => Respects(deviation.GetValueOrDefault(q), q));

    /// <summary>Whether moving insider <paramref name="q"/>'s cell by <paramref name="y"/> stays within what that insider knows.</summary>
    private bool Respects(double y, int q)
    {
        if (y == 0)
        {
            return true; // the insider's cell keeps its true value, which their knowledge always allows
        }

        var (lower, upper) = Knowledge(q);
        return AttackerModel.StaysWithin(_problem.Cells[q], y, lower, upper, _scale);
    }
}
