namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Whether a primary keeps its protection against an insider: the largest contributor of another suppressed cell,
/// who knows that cell is at least its own contribution, or exactly when it is the only contributor
/// (<see cref="ContributorKnowledge"/>). A row of two suppressed one-person cells and a published total is safe
/// from outsiders and open to either person, who subtracts their own value.
/// </summary>
/// <remarks>
/// <para>Each insider is checked on their own, not as a coalition: a respondent knows their own contributions,
/// not those of others. The cell's own largest contributor is not an attacker of that cell (the primary rules
/// protect them against the others), and neither is the same contributor seen through a cell that contains the
/// primary or lies inside it (same largest contribution).</para>
/// <para>Cheap first. Every deviation a linear program found for a primary is kept as a witness: a way the primary
/// moves by its protection while every suppressed cell stays within what an attacker knows. A witness stays valid
/// while each cell it moves is still suppressed (suppressing more cells only adds freedom) and its relations still
/// add up (checked again, so a bookkeeping slip costs a linear program, never a wrong "safe"). An insider whose
/// knowledge some valid witness respects cannot pin the primary. The clean-up, which removes one secondary at a
/// time and asks again for every primary, is answered almost entirely from witnesses. For the insiders left, one
/// program: the outsider's smallest deviation in which moving an insider's cell beyond what that insider knows costs a
/// thousand times more than any other move. It respects every insider it can; the program is asked again for those it
/// does not respect, as long as that helps. Only an insider no such deviation respects gets a linear program of their
/// own, which decides. (A coalition of all insiders at once, tried first before, pinned most primaries, and then every
/// insider needed a program of their own.)</para>
/// <para>Limits: an insider's knowledge is modelled per population cell; a unit that is the largest contributor of
/// cells in two linked tables is two insiders here, not one who knows both.</para>
/// </remarks>
internal sealed class InsiderCheck
{
    private readonly SuppressionProblem _problem;
    private readonly ProtectionSearch _search;
    private readonly List<int>[] _containing;
    private readonly List<int>[] _contained;
    private readonly List<int>[] _relationsOf;
    private readonly double _scale;
    private readonly Dictionary<(int Primary, double Deviation), List<IReadOnlyDictionary<int, double>>> _witnesses = [];
    private readonly Dictionary<int, HashSet<int>> _nested = [];
    // Per relation: the stamp of the last witness check that added it up.
    private readonly int[] _relationChecked;
    private int _checkStamp;

    public InsiderCheck(SuppressionProblem problem, ProtectionSearch search)
    {
        _problem = problem;
        _search = search;
        var count = problem.Cells.Count;
        _containing = new List<int>[count];
        _contained = new List<int>[count];
        _relationsOf = new List<int>[count];
        for (var c = 0; c < count; c++)
        {
            _containing[c] = [];
            _contained[c] = [];
            _relationsOf[c] = [];
        }

        for (var r = 0; r < problem.Relations.Count; r++)
        {
            var relation = problem.Relations[r];
            _relationsOf[relation.Total].Add(r);
            foreach (var part in relation.Parts)
            {
                _containing[part].Add(relation.Total);
                _contained[relation.Total].Add(part);
                _relationsOf[part].Add(r);
            }
        }

        _relationChecked = new int[problem.Relations.Count];
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

        var witnesses = ValidWitnesses(suppressed, primary, deviation);
        insiders.RemoveAll(q => witnesses.Exists(w => Respects(w, q)));
        if (insiders.Count == 0)
        {
            return InsiderFinding.Safe;
        }

        // One program for all of them: the outsider's deviation that moves their cells beyond what they know only where
        // it must. It respects most of them at once; the program is asked again for those it does not respect, as long
        // as that respects more of them. Only the insiders left get a program of their own. The first program also tells
        // an outsider's impossibility (reported by the outsider check) from an insider's.
        var pending = insiders;
        for (var round = 0; pending.Count > 0 && (round == 0 || pending.Count > 1); round++)
        {
            var outsider = _search.SmallestDeviationAvoiding(suppressed, primary, deviation, pending.ToDictionary(q => q, Knowledge));
            switch (outsider.Status)
            {
                case SearchStatus.Impossible:
                    return InsiderFinding.Safe; // short against everyone: the outsider check reports it
                case SearchStatus.Failed:
                    return InsiderFinding.NotEvaluated;
            }

            witnesses.Add(outsider.Deviation);
            var left = pending.FindAll(q => !Respects(outsider.Deviation, q));
            if (left.Count == pending.Count)
            {
                break;
            }

            pending = left;
        }

        foreach (var q in pending)
        {
            if (witnesses.Exists(w => Respects(w, q)))
            {
                continue;
            }

            var knowledge = new Dictionary<int, (double Lower, double Upper)> { [q] = Knowledge(q) };
            var own = _search.SmallestDeviation(suppressed, primary, deviation, knowledge);
            switch (own.Status)
            {
                case SearchStatus.Found:
                    witnesses.Add(own.Deviation);
                    break;
                case SearchStatus.Impossible:
                    return new InsiderFinding(InsiderStatus.Breach, q, knowledge);
                default:
                    return InsiderFinding.NotEvaluated;
            }
        }

        return InsiderFinding.Safe;
    }

    /// <summary>
    /// Keeps a deviation an outsider's linear program found for <paramref name="primary"/> (moving it by
    /// <paramref name="deviation"/>) as a witness: if it respects an insider's knowledge too, that insider needs no
    /// linear program of their own.
    /// </summary>
    public void Remember(int primary, double deviation, IReadOnlyDictionary<int, double> moved)
    {
        if (!HasInsiders)
        {
            return;
        }

        WitnessesOf(primary, deviation).Add(moved);
    }

    /// <summary>
    /// The kept witnesses of this primary and direction that still hold with the cells suppressed now (the list,
    /// pruned: what a linear program finds next is added to it).
    /// </summary>
    private List<IReadOnlyDictionary<int, double>> ValidWitnesses(IReadOnlySet<int> suppressed, int primary, double deviation)
    {
        var list = WitnessesOf(primary, deviation);
        list.RemoveAll(w => !Holds(w, suppressed, primary, deviation));
        return list;
    }

    /// <summary>The kept witnesses of this primary and direction, valid or not (an empty list the first time).</summary>
    private List<IReadOnlyDictionary<int, double>> WitnessesOf(int primary, double deviation)
    {
        if (!_witnesses.TryGetValue((primary, deviation), out var list))
        {
            list = [];
            _witnesses[(primary, deviation)] = list;
        }

        return list;
    }

    /// <summary>
    /// Whether moving the primary by <paramref name="deviation"/> and the other cells as <paramref name="moved"/> is still
    /// a deviation the attacker cannot rule out: every moved cell suppressed and within its a-priori bounds, and every
    /// relation through a moved cell adding up (within the solver's accuracy and the moves it rounded away).
    /// </summary>
    private bool Holds(IReadOnlyDictionary<int, double> moved, IReadOnlySet<int> suppressed, int primary, double deviation)
    {
        var cells = _problem.Cells;
        foreach (var (c, y) in moved)
        {
            var cell = cells[c];
            if (!suppressed.Contains(c) || !AttackerModel.StaysWithin(cell, y, cell.LowerBound, cell.UpperBound, _scale))
            {
                return false;
            }
        }

        double Move(int c) => c == primary ? deviation : moved.GetValueOrDefault(c);
        _checkStamp++;
        foreach (var c in moved.Keys.Append(primary))
        {
            foreach (var r in _relationsOf[c])
            {
                if (_relationChecked[r] == _checkStamp)
                {
                    continue; // a relation through several moved cells is added up once
                }

                _relationChecked[r] = _checkStamp;
                var relation = _problem.Relations[r];
                var residual = -Move(relation.Total);
                var size = Math.Abs(Move(relation.Total));
                foreach (var part in relation.Parts)
                {
                    residual += Move(part);
                    size += Math.Abs(Move(part));
                }

                if (Math.Abs(residual) > (1e-5 * (Math.Abs(deviation) + size)) + (1e-9 * _scale))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private (double Lower, double Upper) Knowledge(int q)
    {
        var cell = _problem.Cells[q];
        return cell.LargestContributor!.BoundsOn(cell.Value, cell.LowerBound, cell.UpperBound);
    }

    private static bool Tightens(SuppressionCell cell) =>
        cell.LargestContributor is { } k && (k.OnlyContributor || k.Contribution > cell.LowerBound);

    /// <summary>Suppressed cells whose largest contributor may attack the primary, in cell order.</summary>
    private List<int> Insiders(IReadOnlySet<int> suppressed, int primary)
    {
        var cells = _problem.Cells;
        var own = cells[primary].LargestContributor?.Contribution;
        var insiders = new List<int>();
        foreach (var q in suppressed)
        {
            if (q == primary || !Tightens(cells[q]))
            {
                continue;
            }

            // The primary's own largest contributor, seen through a cell that contains the primary or lies inside it.
            if (own is { } x && cells[q].LargestContributor!.Contribution == x && NestedIn(primary).Contains(q))
            {
                continue;
            }

            insiders.Add(q);
        }

        insiders.Sort(); // cell order, so the breach reported first does not depend on the set's order
        return insiders;
    }

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

    private bool Respects(IReadOnlyDictionary<int, double> deviation, int q)
    {
        if (!deviation.TryGetValue(q, out var y))
        {
            return true; // the insider's cell keeps its true value, which their knowledge always allows
        }

        var (lower, upper) = Knowledge(q);
        return AttackerModel.StaysWithin(_problem.Cells[q], y, lower, upper, _scale);
    }
}
