namespace Datakamp.Disclosure.Suppression;

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
/// <para>Cheap first: all insiders together (a stronger attacker than any one of them); if even they cannot pin the
/// primary, no single one can. Otherwise the outsider's smallest deviation is tried against each insider, and
/// only an insider whose knowledge that deviation breaks gets a linear program of their own.</para>
/// <para>Limits: an insider's knowledge is modelled per population cell; a unit that is the largest contributor of
/// cells in two linked tables is two insiders here, not one who knows both.</para>
/// </remarks>
internal sealed class InsiderCheck
{
    private readonly SuppressionProblem _problem;
    private readonly ProtectionSearch _search;
    private readonly List<int>[] _containing;
    private readonly List<int>[] _contained;
    private readonly double _scale;

    public InsiderCheck(SuppressionProblem problem, ProtectionSearch search)
    {
        _problem = problem;
        _search = search;
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

        var together = _search.SmallestDeviation(suppressed, primary, deviation, insiders.ToDictionary(q => q, Knowledge));
        switch (together.Status)
        {
            case SearchStatus.Found:
                return InsiderFinding.Safe;
            case SearchStatus.Failed:
                return InsiderFinding.NotEvaluated;
        }

        var outsider = _search.SmallestDeviation(suppressed, primary, deviation, knowledge: null);
        switch (outsider.Status)
        {
            case SearchStatus.Impossible:
                return InsiderFinding.Safe; // short against everyone: the outsider check reports it
            case SearchStatus.Failed:
                return InsiderFinding.NotEvaluated;
        }

        foreach (var q in insiders)
        {
            if (Respects(outsider.Deviation, q))
            {
                continue;
            }

            var knowledge = new Dictionary<int, (double Lower, double Upper)> { [q] = Knowledge(q) };
            switch (_search.SmallestDeviation(suppressed, primary, deviation, knowledge).Status)
            {
                case SearchStatus.Impossible:
                    return new InsiderFinding(InsiderStatus.Breach, q, knowledge);
                case SearchStatus.Failed:
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

    private static bool Tightens(SuppressionCell cell) =>
        cell.LargestContributor is { } k && (k.OnlyContributor || k.Contribution > cell.LowerBound);

    /// <summary>Suppressed cells whose largest contributor may attack the primary, in cell order.</summary>
    private List<int> Insiders(IReadOnlySet<int> suppressed, int primary)
    {
        var cells = _problem.Cells;
        var own = cells[primary].LargestContributor?.Contribution;
        HashSet<int>? nested = null;
        var insiders = new List<int>();
        foreach (var q in suppressed.Order())
        {
            if (q == primary || !Tightens(cells[q]))
            {
                continue;
            }

            // The primary's own largest contributor, seen through a cell that contains the primary or lies inside it.
            if (own is { } x && cells[q].LargestContributor!.Contribution == x && (nested ??= Nested(primary)).Contains(q))
            {
                continue;
            }

            insiders.Add(q);
        }

        return insiders;
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
        var cell = _problem.Cells[q];
        var (lower, upper) = Knowledge(q);
        var moved = cell.Value + deviation.GetValueOrDefault(q);
        var tolerance = AttackerModel.ToleranceFor(cell.Value, _scale);
        return moved >= lower - tolerance && moved <= upper + tolerance;
    }
}

/// <summary>Outcome of an <see cref="InsiderCheck"/>.</summary>
internal enum InsiderStatus
{
    /// <summary>No insider can narrow the primary below its requirement.</summary>
    Safe,

    /// <summary>The insider of <see cref="InsiderFinding.Insider"/> can.</summary>
    Breach,

    /// <summary>A linear program did not finish cleanly: not known (fail closed).</summary>
    NotEvaluated,
}

/// <summary>What an <see cref="InsiderCheck"/> found: the insider's cell and knowledge when it is a breach.</summary>
internal sealed record InsiderFinding(InsiderStatus Status, int Insider, IReadOnlyDictionary<int, (double Lower, double Upper)>? Knowledge)
{
    public static InsiderFinding Safe { get; } = new(InsiderStatus.Safe, -1, null);

    public static InsiderFinding NotEvaluated { get; } = new(InsiderStatus.NotEvaluated, -1, null);
}
