using Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

namespace Datakamp.Disclosure.SecondarySuppression;

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
internal sealed class ProtectionSearch : IDisposable
{
    /// <summary>Sub-table sizes tried before the whole table: k cheapest alternative categories per dimension.</summary>
    private static readonly int[] SubtableSizes = [2, 5];

    /// <summary>
    /// Sub-table sizes tried for a deviation over suppressed cells only. Any deviation is a proof, so these only trade
    /// the size of the programs against the chance of finding one; on a 61 x 7 x 7 table with margins a second, wider
    /// try halves the programs over the whole table, which cost ten times as much.
    /// </summary>
    private static readonly int[] DeviationSubtableSizes = [5, 15];

    /// <summary>How much more a unit of move beyond an insider's knowledge costs than one within it (see <see cref="SmallestDeviationAvoiding"/>).</summary>
    private const double BeyondKnowledgeWeight = 1000;

    private readonly SuppressionProblem _problem;
    // Per relation: its cells, the total first (coefficient -1), then the parts (+1).
    private readonly int[][] _relationCells;
    private readonly int[][] _relationsOfCell;
    // Table coordinates (when every cell has them): per cell the index of its label in _labels[d] per dimension.
    private readonly int[]?[] _coordinates;
    private readonly List<string?>[] _labels;
    private readonly Dictionary<long, int> _cellByCoordinates = [];
    // Scratch marks for the search of reachable cells, re-used by every solve (a mark equals _stamp when set).
    private readonly int[] _cellMark;
    private readonly int[] _relationMark;
    private int _stamp;
    // The whole problem's deviation program over the cells suppressed now, kept warm (rebuilt when they change).
    private DeviationModel? _wholeDeviation;

    public ProtectionSearch(SuppressionProblem problem)
    {
        _problem = problem;
        var cells = problem.Cells;
        _relationCells = problem.Relations.Select(r => r.Parts.Prepend(r.Total).ToArray()).ToArray();
        var relationsOfCell = new List<int>[cells.Count];
        for (var c = 0; c < cells.Count; c++)
        {
            relationsOfCell[c] = [];
        }

        for (var r = 0; r < _relationCells.Length; r++)
        {
            foreach (var c in _relationCells[r])
            {
                relationsOfCell[c].Add(r);
            }
        }

        _relationsOfCell = relationsOfCell.Select(list => list.ToArray()).ToArray();
        _cellMark = new int[cells.Count];
        _relationMark = new int[_relationCells.Length];

        _coordinates = new int[]?[cells.Count];
        var dimensions = cells.Count > 0 && cells.All(c => c.Coordinates is not null)
            ? cells.SelectMany(c => c.Coordinates!.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()
            : [];
        _labels = new List<string?>[dimensions.Length];
        for (var d = 0; d < dimensions.Length; d++)
        {
            var name = dimensions[d];
            _labels[d] = cells.Select(c => c.Coordinates!.GetValueOrDefault(name)).Distinct().ToList();
        }

        if (dimensions.Length > 0)
        {
            var labelIndex = _labels.Select(list => list.Select((label, i) => (label, i)).ToDictionary(x => x.label ?? "\u001e", x => x.i, StringComparer.Ordinal)).ToArray();
            for (var c = 0; c < cells.Count; c++)
            {
                var coords = new int[dimensions.Length];
                for (var d = 0; d < dimensions.Length; d++)
                {
                    coords[d] = labelIndex[d][cells[c].Coordinates!.GetValueOrDefault(dimensions[d]) ?? "\u001e"];
                }

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
    /// <param name="suppressed">Cells suppressed so far.</param>
    /// <param name="primary">The primary cell.</param>
    /// <param name="deviation">The required move of the primary (+ upward, - downward).</param>
    /// <param name="knowledge">Bounds an insider knows, replacing the a-priori bounds of those cells; null for an outsider.</param>
    public SearchOutcome FindComplement(IReadOnlySet<int> suppressed, int primary, double deviation,
        IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge = null)
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
                var outcome = Solve(suppressed, primary, deviation, onlySuppressed: false, allowed, knowledge);
                if (outcome.Status == SearchStatus.Found)
                {
                    return outcome;
                }
            }
        }

        return Solve(suppressed, primary, deviation, onlySuppressed: false, allowed: null, knowledge);
    }

    /// <summary>
    /// A deviation of the primary by <paramref name="deviation"/> that moves only suppressed cells, as little as
    /// possible in total, within the <paramref name="knowledge"/> of an insider (null: an outsider); the moved
    /// cells are in <see cref="SearchOutcome.Deviation"/>. Impossible: the attacker so informed cannot move
    /// the primary that far, so the requirement is not met against it.
    /// </summary>
    /// <remarks>
    /// For tables the suppressed cells of sub-tables around the primary are tried first: a deviation found there is a
    /// deviation of the whole problem (every other cell stays put), and its program is a fraction of the size. Only
    /// the whole problem can show that none exists.
    /// </remarks>
    public SearchOutcome SmallestDeviation(IReadOnlySet<int> suppressed, int primary, double deviation,
        IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge) =>
        SmallestDeviation(suppressed, primary, deviation, knowledge, avoid: null);

    /// <summary>
    /// The outsider's smallest deviation (a-priori bounds only), moving the cells of <paramref name="avoid"/> beyond what
    /// their insider knows only where no other deviation exists: each unit beyond an insider's knowledge costs
    /// <see cref="BeyondKnowledgeWeight"/> times a unit elsewhere. One program then serves all the insiders it respects;
    /// Impossible means the outsider cannot move the primary that far either.
    /// </summary>
    public SearchOutcome SmallestDeviationAvoiding(IReadOnlySet<int> suppressed, int primary, double deviation,
        IReadOnlyDictionary<int, (double Lower, double Upper)> avoid) =>
        SmallestDeviation(suppressed, primary, deviation, knowledge: null, avoid);

    private SearchOutcome SmallestDeviation(IReadOnlySet<int> suppressed, int primary, double deviation,
        IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge, IReadOnlyDictionary<int, (double Lower, double Upper)>? avoid)
    {
        if (_coordinates[primary] is { } origin)
        {
            foreach (var k in DeviationSubtableSizes)
            {
                if (_labels.All(l => l.Count <= k + 1))
                {
                    break; // the sub-table would be the whole table
                }

                var near = Solve(suppressed, primary, deviation, onlySuppressed: true, Subtable(origin, suppressed, deviation, k), knowledge, smallest: true, avoid);
                // Avoiding insiders, a sub-table that cannot is not the last word: the whole problem may avoid them all.
                if (near.Status == SearchStatus.Found && !near.BeyondKnowledge)
                {
                    return near;
                }
            }
        }

        return WholeProblemDeviation(suppressed, primary, deviation, knowledge, avoid);
    }

    public void Dispose() => _wholeDeviation?.Dispose();

    /// <summary>
    /// The smallest deviation over every suppressed cell, from the warm <see cref="DeviationModel"/>: the same question as
    /// a program built for it alone, answered from the previous question's basis.
    /// </summary>
    private SearchOutcome WholeProblemDeviation(IReadOnlySet<int> suppressed, int primary, double deviation,
        IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge, IReadOnlyDictionary<int, (double Lower, double Upper)>? avoid)
    {
        if (LeavesOwnBounds(primary, deviation, knowledge))
        {
            return SearchOutcome.Impossible;
        }

        if (_wholeDeviation is null || !_wholeDeviation.IsOver(suppressed))
        {
            _wholeDeviation?.Dispose();
            _wholeDeviation = new DeviationModel(_problem, suppressed, BeyondKnowledgeWeight);
        }

        LpCount++;
        return _wholeDeviation.Smallest(primary, deviation, knowledge, avoid);
    }

    /// <summary>Whether moving the primary by <paramref name="deviation"/> leaves what every attacker (or this insider) knows of it a priori.</summary>
    private bool LeavesOwnBounds(int primary, double deviation, IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge)
    {
        var cell = _problem.Cells[primary];
        var (lower, upper) = knowledge is not null && knowledge.TryGetValue(primary, out var known) ? known : (cell.LowerBound, cell.UpperBound);
        var target = cell.Value + deviation;
        return target < lower || target > upper;
    }

    /// <summary>The coordinates as one number (mixed radix over the label counts).</summary>
    private long Key(int[] coordinates)
    {
        long key = 0;
        for (var d = 0; d < coordinates.Length; d++)
        {
            key = (key * _labels[d].Count) + coordinates[d];
        }

        return key;
    }

    /// <summary>Per dimension: the primary's label plus the k labels whose line neighbour of the primary is cheapest (able cells first).</summary>
    private bool[] Subtable(int[] origin, IReadOnlySet<int> suppressed, double deviation, int k)
    {
        var cells = _problem.Cells;
        var chosen = new bool[origin.Length][];
        for (var d = 0; d < origin.Length; d++)
        {
            var ranked = new List<(bool TooSmall, double Cost, int Label)>();
            for (var label = 0; label < _labels[d].Count; label++)
            {
                if (label == origin[d])
                {
                    continue;
                }

                var coords = (int[])origin.Clone();
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

            chosen[d] = new bool[_labels[d].Count];
            chosen[d][origin[d]] = true;
            foreach (var r in ranked.OrderBy(r => r.TooSmall).ThenBy(r => r.Cost).ThenBy(r => r.Label).Take(k))
            {
                chosen[d][r.Label] = true;
            }
        }

        var inside = new bool[cells.Count];
        for (var c = 0; c < cells.Count; c++)
        {
            var coords = _coordinates[c]!;
            var all = true;
            for (var d = 0; d < coords.Length && all; d++)
            {
                all = chosen[d][coords[d]];
            }

            inside[c] = all;
        }

        return inside;
    }

    private SearchOutcome Solve(IReadOnlySet<int> suppressed, int primary, double deviation, bool onlySuppressed, bool[]? allowed,
        IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge = null, bool smallest = false,
        IReadOnlyDictionary<int, (double Lower, double Upper)>? avoid = null)
    {
        var cells = _problem.Cells;
        if (LeavesOwnBounds(primary, deviation, knowledge))
        {
            // The required range leaves what every attacker knows a priori: no pattern can provide it.
            return SearchOutcome.Impossible;
        }

        bool Movable(int c) => c == primary || (onlySuppressed
            ? suppressed.Contains(c) && (allowed is null || allowed[c])
            : suppressed.Contains(c) || (cells[c].MaySuppress && (allowed is null || allowed[c])));

        // Cells reachable from the primary through relations among movable cells; others stay at deviation 0.
        _stamp++;
        var reach = new List<int> { primary };
        _cellMark[primary] = _stamp;
        var relations = new List<int>();
        for (var k = 0; k < reach.Count; k++)
        {
            foreach (var r in _relationsOfCell[reach[k]])
            {
                if (_relationMark[r] == _stamp)
                {
                    continue;
                }

                _relationMark[r] = _stamp;
                relations.Add(r);
                foreach (var c in _relationCells[r])
                {
                    if (_cellMark[c] != _stamp && Movable(c))
                    {
                        _cellMark[c] = _stamp;
                        reach.Add(c);
                    }
                }
            }
        }

        // Columns: the primary (fixed at the deviation), then y+ and y- for every other reachable cell (-1: none); a cell
        // to avoid has a second y+ and y- for the part of its move beyond what its insider knows, at a high price.
        var plus = new Dictionary<int, int>(reach.Count);
        var minus = new Dictionary<int, int>(reach.Count);
        var plusBeyond = new Dictionary<int, int>();
        var minusBeyond = new Dictionary<int, int>();
        var lower = new List<double>(2 * reach.Count) { deviation };
        var upper = new List<double>(2 * reach.Count) { deviation };
        var weight = new List<double>(2 * reach.Count) { 0 };
        foreach (var c in reach)
        {
            if (c == primary)
            {
                continue;
            }

            var cell = cells[c];
            var w = smallest ? 1 : suppressed.Contains(c) ? 0 : cell.EffectiveCost;
            var room = MoveRoom.Of(c, cell, knowledge, avoid);

            int AddColumn(double capacity, double columnWeight)
            {
                lower.Add(0);
                upper.Add(capacity);
                weight.Add(columnWeight);
                return lower.Count - 1;
            }

            if (room.Up > 0) plus[c] = AddColumn(room.Up, w);
            if (room.UpBeyond > 0) plusBeyond[c] = AddColumn(room.UpBeyond, w * BeyondKnowledgeWeight);
            if (room.Down > 0) minus[c] = AddColumn(room.Down, w);
            if (room.DownBeyond > 0) minusBeyond[c] = AddColumn(room.DownBeyond, w * BeyondKnowledgeWeight);
        }

        var lp = new LinearProgram(lower.Count);
        for (var j = 0; j < lower.Count; j++)
        {
            lp.SetBounds(j, lower[j], upper[j]);
        }

        var vars = new List<int>();
        var coefs = new List<double>();
        var columnsOfCell = new[] { (plus, 1.0), (minus, -1.0), (plusBeyond, 1.0), (minusBeyond, -1.0) };
        foreach (var r in relations)
        {
            vars.Clear();
            coefs.Clear();
            var relationCells = _relationCells[r];
            for (var i = 0; i < relationCells.Length; i++)
            {
                var c = relationCells[i];
                var coef = i == 0 ? -1.0 : 1.0;
                if (c == primary)
                {
                    vars.Add(0);
                    coefs.Add(coef);
                    continue;
                }

                // A cell's move is its upward columns minus its downward ones.
                foreach (var (columns, sign) in columnsOfCell)
                {
                    if (columns.TryGetValue(c, out var j))
                    {
                        vars.Add(j);
                        coefs.Add(sign * coef);
                    }
                }
            }

            lp.AddEquality(vars, coefs, 0);
        }
        LpCount++;
        using var solver = new LpSolver(lp);
        var result = solver.Minimize(onlySuppressed && !smallest ? new double[lower.Count] : weight.ToArray());
        if (SearchOutcome.WhenNotOptimal(result.Status) is { } notFound)
        {
            return notFound;
        }

        var threshold = 1e-7 * Math.Abs(deviation);
        var added = new List<int>();
        var moved = new Dictionary<int, double>();
        foreach (var c in reach)
        {
            if (c == primary)
            {
                continue;
            }

            double Column(Dictionary<int, int> columns) => columns.TryGetValue(c, out var j) ? result.Values[j] : 0;
            var y = Column(plus) + Column(plusBeyond) - Column(minus) - Column(minusBeyond);
            if (Math.Abs(y) > threshold)
            {
                moved[c] = y;
                if (!suppressed.Contains(c))
                {
                    added.Add(c);
                }
            }
        }

        var beyond = plusBeyond.Values.Concat(minusBeyond.Values).Any(j => result.Values[j] > threshold);
        return new SearchOutcome(SearchStatus.Found, added) { Deviation = moved, BeyondKnowledge = beyond };
    }
}
