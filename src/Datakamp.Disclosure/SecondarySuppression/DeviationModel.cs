using Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// One linear program over every suppressed cell, kept warm between questions: how can a primary move by its
/// requirement while only suppressed cells move, as little as possible in total, within what an insider knows, or
/// moving the cells of insiders to avoid beyond what they know only at a high price (see
/// <see cref="ProtectionSearch.SmallestDeviationAvoiding"/>).
/// </summary>
/// <remarks>
/// <para>Every suppressed cell has four columns: its move up and down within bounds, and up and down beyond what an
/// insider to avoid knows. The relations are the rows and the prices are the objective; neither changes between
/// questions. A question only sets bounds: the primary's move fixed, the others' room from their a-priori bounds or
/// an insider's knowledge. GLOP then starts from the previous question's basis instead of from scratch; on a table of
/// 2,989 cells with 931 suppressed, a question over the whole table took about 20 ms built afresh.</para>
/// <para>Answers are as exact as a program built for the question alone: cells the primary cannot reach through the
/// relations are in the program too, but moving them only costs, so they stay put. Which of several equally small
/// deviations comes back may differ; callers use a deviation as a proof that the primary can move, never to choose
/// cells to suppress.</para>
/// </remarks>
internal sealed class DeviationModel : IDisposable
{
    private const int Up = 0, Down = 1, UpBeyond = 2, DownBeyond = 3, ColumnsPerCell = 4;

    private readonly SuppressionProblem _problem;
    private readonly int[] _cells;
    private readonly Dictionary<int, int> _position;
    private readonly LpSolver _solver;
    private readonly double[] _lower;
    private readonly double[] _upper;
    private readonly double[] _prices;

    /// <param name="problem">The problem.</param>
    /// <param name="suppressed">The cells suppressed now: the only ones that may move.</param>
    /// <param name="beyondKnowledgePrice">What a unit of move beyond an insider's knowledge costs (a unit within costs 1).</param>
    public DeviationModel(SuppressionProblem problem, IReadOnlySet<int> suppressed, double beyondKnowledgePrice)
    {
        _problem = problem;
        _cells = [.. suppressed.Order()];
        _position = new Dictionary<int, int>(_cells.Length);
        for (var i = 0; i < _cells.Length; i++)
        {
            _position[_cells[i]] = i;
        }

        var columns = ColumnsPerCell * _cells.Length;
        _lower = new double[columns];
        _upper = new double[columns];
        _prices = new double[columns];
        var lp = new LinearProgram(columns);
        for (var i = 0; i < _cells.Length; i++)
        {
            // Until the first question: the outsider's room, nothing beyond.
            SetRoom(lp, i, MoveRoom.Of(_cells[i], problem.Cells[_cells[i]], knowledge: null, avoid: null));
            _prices[Column(i, Up)] = _prices[Column(i, Down)] = 1;
            _prices[Column(i, UpBeyond)] = _prices[Column(i, DownBeyond)] = beyondKnowledgePrice;
        }

        // Σ parts − total = 0 over the suppressed cells; published cells stay put, so they drop out.
        var variables = new List<int>();
        var coefficients = new List<double>();
        foreach (var relation in problem.Relations)
        {
            variables.Clear();
            coefficients.Clear();
            foreach (var (cell, sign) in relation.Parts.Select(p => (p, 1.0)).Append((relation.Total, -1.0)))
            {
                if (!_position.TryGetValue(cell, out var i))
                {
                    continue;
                }

                // A cell's move is its upward columns minus its downward ones.
                variables.AddRange([Column(i, Up), Column(i, Down), Column(i, UpBeyond), Column(i, DownBeyond)]);
                coefficients.AddRange([sign, -sign, sign, -sign]);
            }

            if (variables.Count > 0)
            {
                lp.AddEquality(variables, coefficients, 0);
            }
        }

        _solver = new LpSolver(lp, dualSimplex: true);
    }

    /// <summary>Whether the program is over exactly these suppressed cells.</summary>
    public bool IsOver(IReadOnlySet<int> suppressed) => suppressed.Count == _cells.Length && _cells.All(suppressed.Contains);

    /// <summary>
    /// The smallest deviation that moves <paramref name="primary"/> (suppressed) by <paramref name="deviation"/>: cells
    /// in <paramref name="knowledge"/> within those bounds instead of their a-priori ones; cells in
    /// <paramref name="avoid"/> beyond those bounds only at the high price.
    /// </summary>
    public SearchOutcome Smallest(int primary, double deviation,
        IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge, IReadOnlyDictionary<int, (double Lower, double Upper)>? avoid)
    {
        if (!_position.TryGetValue(primary, out var p))
        {
            throw new ArgumentException($"Cell {primary} is not suppressed.", nameof(primary));
        }

        var cells = _problem.Cells;
        for (var i = 0; i < _cells.Length; i++)
        {
            if (i == p)
            {
                // The primary moves by exactly the deviation (its own bounds were checked by the caller).
                SetRoom(null, i, new MoveRoom(Math.Max(deviation, 0), Math.Max(-deviation, 0), 0, 0), exactly: true);
                continue;
            }

            SetRoom(null, i, MoveRoom.Of(_cells[i], cells[_cells[i]], knowledge, avoid));
        }

        var result = _solver.Minimize(_prices);
        if (SearchOutcome.WhenNotOptimal(result.Status) is { } notFound)
        {
            return notFound;
        }

        var threshold = 1e-7 * Math.Abs(deviation);
        var moved = new Dictionary<int, double>();
        var beyond = false;
        for (var i = 0; i < _cells.Length; i++)
        {
            double X(int kind) => result.Values[Column(i, kind)];
            beyond |= X(UpBeyond) > threshold || X(DownBeyond) > threshold;
            var y = X(Up) + X(UpBeyond) - X(Down) - X(DownBeyond);
            if (i != p && Math.Abs(y) > threshold)
            {
                moved[_cells[i]] = y;
            }
        }

        return new SearchOutcome(SearchStatus.Found, []) { Deviation = moved, BeyondKnowledge = beyond };
    }

    public void Dispose() => _solver.Dispose();

    private static int Column(int position, int kind) => (ColumnsPerCell * position) + kind;

    /// <summary>
    /// The room of one cell's four columns: into <paramref name="lp"/> while it is built, else into the solver, and only
    /// where it changed (a question changes the primary's and the insiders' cells, not the hundreds of others).
    /// </summary>
    private void SetRoom(LinearProgram? lp, int position, MoveRoom move, bool exactly = false)
    {
        ReadOnlySpan<double> room = [move.Up, move.Down, move.UpBeyond, move.DownBeyond];
        for (var kind = 0; kind < ColumnsPerCell; kind++)
        {
            var j = Column(position, kind);
            var lower = exactly ? room[kind] : 0;
            if (lp is not null)
            {
                lp.SetBounds(j, lower, room[kind]);
            }
            else if (_lower[j] != lower || _upper[j] != room[kind])
            {
                _solver.SetBounds(j, lower, room[kind]);
            }
            else
            {
                continue;
            }

            (_lower[j], _upper[j]) = (lower, room[kind]);
        }
    }
}
