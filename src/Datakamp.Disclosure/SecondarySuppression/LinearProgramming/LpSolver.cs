using Google.OrTools.LinearSolver;

namespace Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

/// <summary>
/// Solves one <see cref="LinearProgram"/> for many objectives with GLOP, the simplex solver of Google OR-Tools.
/// The constraints and bounds are loaded once; each <see cref="Minimize"/> only replaces the objective, and GLOP starts
/// from the basis of the previous solve, so the min and max of every cell of one component cost a few pivots each.
/// </summary>
/// <remarks>
/// Anything but a proven optimum, proven infeasibility or proven unboundedness comes back as a status the callers
/// treat as "not evaluated" (<see cref="LpStatus.NumericalFailure"/> or <see cref="LpStatus.IterationLimit"/>), so a
/// solver that gave up never makes a cell look protected.
/// </remarks>
public sealed class LpSolver : IDisposable
{
    private readonly Solver _solver;
    private readonly Variable[] _variables;
    // The objective's coefficients as the native solver has them (all 0 when it is created).
    private readonly double[] _objective;
    private readonly double _scale;
    private readonly MPSolverParameters _parameters = new();
    private static readonly MPSolverParameters Afresh = FreshStart();

    /// <param name="lp">The program.</param>
    /// <param name="dualSimplex">
    /// Solve with the dual simplex: for a program asked again and again with other bounds and the same objective, whose
    /// previous optimal basis then stays dual feasible (<see cref="SetBounds"/>).
    /// </param>
    public LpSolver(LinearProgram lp, bool dualSimplex = false)
    {
        // Presolve off: it would rebuild the problem on every solve and throw away the basis the next objective starts from.
        _parameters.SetIntegerParam(MPSolverParameters.IntegerParam.PRESOLVE, (int)MPSolverParameters.PresolveValues.PRESOLVE_OFF);
        _parameters.SetIntegerParam(MPSolverParameters.IntegerParam.INCREMENTALITY, (int)MPSolverParameters.IncrementalityValues.INCREMENTALITY_ON);
        if (dualSimplex)
        {
            _parameters.SetIntegerParam(MPSolverParameters.IntegerParam.LP_ALGORITHM, (int)MPSolverParameters.LpAlgorithmValues.DUAL);
        }

        ArgumentNullException.ThrowIfNull(lp);
        _solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("The OR-Tools GLOP solver is not available on this machine.");
        _scale = ScaleOf(lp);
        _variables = new Variable[lp.VariableCount];
        _objective = new double[lp.VariableCount];
        for (var j = 0; j < lp.VariableCount; j++)
        {
            _variables[j] = _solver.MakeNumVar(lp.Lower[j] / _scale, lp.Upper[j] / _scale, "");
        }

        foreach (var row in lp.Constraints)
        {
            var constraint = _solver.MakeConstraint(row.RightHandSide / _scale, row.RightHandSide / _scale);
            for (var k = 0; k < row.Count; k++)
            {
                constraint.SetCoefficient(_variables[row.Variables[k]], row.Coefficients[k]);
            }
        }
    }

    /// <summary>
    /// Loads the native solver library on a thread-pool thread (about 0.1 s), so that the first program does not wait for
    /// it. Nothing depends on it: a library that cannot load fails the first real program, where it is reported.
    /// </summary>
    public static void LoadInBackground() => _ = Task.Run(() =>
    {
        try
        {
            using var solver = Solver.CreateSolver("GLOP");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            // reported by the first real program
        }
    });

    /// <summary>
    /// Changes the bounds of variable <paramref name="variable"/> for the next <see cref="Minimize"/>, which then starts
    /// from the previous basis (GLOP keeps it when the matrix is unchanged).
    /// </summary>
    public void SetBounds(int variable, double lower, double upper)
    {
        if (double.IsNaN(lower) || double.IsNaN(upper) || lower > upper)
        {
            throw new ArgumentException($"Invalid bounds [{lower}, {upper}] for variable {variable}.");
        }

        _variables[variable].SetBounds(lower / _scale, upper / _scale);
    }

    /// <summary>
    /// Minimises <c>cost · x</c> over the program; <see cref="LpResult.Values"/> holds x when optimal and
    /// <paramref name="withValues"/> (reading them back costs a call into the native library per variable, about as much as
    /// a warm-started solve of a cell's bound; callers that need only the optimum leave them).
    /// </summary>
    public LpResult Minimize(IReadOnlyList<double> cost, bool withValues = true)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.Count != _variables.Length)
        {
            throw new ArgumentException($"Expected {_variables.Length} cost coefficients, got {cost.Count}.", nameof(cost));
        }

        // Only the coefficients that changed are sent: the bounds of one cell after another change two of thousands.
        var objective = _solver.Objective();
        for (var j = 0; j < _variables.Length; j++)
        {
            if (cost[j] != _objective[j])
            {
                objective.SetCoefficient(_variables[j], cost[j]);
                _objective[j] = cost[j];
            }
        }

        objective.SetMinimization();
        var status = _solver.Solve(_parameters);
        if (status == Solver.ResultStatus.ABNORMAL)
        {
            // Now and then the warm start runs into trouble on a degenerate program; solving it afresh with GLOP's presolve
            // settles it. Only a second ABNORMAL is reported as a failure.
            status = _solver.Solve(Afresh);
        }
        return status switch
        {
            Solver.ResultStatus.OPTIMAL => new LpResult(LpStatus.Optimal, objective.Value() * _scale,
                withValues ? _variables.Select(v => v.SolutionValue() * _scale).ToArray() : []),
            Solver.ResultStatus.INFEASIBLE => new LpResult(LpStatus.Infeasible, double.NaN, []),
            Solver.ResultStatus.UNBOUNDED => new LpResult(LpStatus.Unbounded, double.NegativeInfinity, []),
            Solver.ResultStatus.FEASIBLE => new LpResult(LpStatus.IterationLimit, double.NaN, []),
            _ => new LpResult(LpStatus.NumericalFailure, double.NaN, []),
        };
    }

    public void Dispose() => _solver.Dispose();

    private static MPSolverParameters FreshStart()
    {
        var parameters = new MPSolverParameters();
        parameters.SetIntegerParam(MPSolverParameters.IntegerParam.INCREMENTALITY, (int)MPSolverParameters.IncrementalityValues.INCREMENTALITY_OFF);
        return parameters;
    }

    /// <summary>
    /// A power of two that brings the program's largest finite bound or right-hand side to at most 10,000. Sums of income
    /// over a city reach 10^11; GLOP's tolerances are absolute, and at that size it gives up (ABNORMAL) where the same
    /// program in thousands is routine. Dividing by a power of two changes no digit of the data, only the exponent.
    /// </summary>
    private static double ScaleOf(LinearProgram lp)
    {
        var largest = 0.0;
        foreach (var bound in lp.Lower.Concat(lp.Upper).Concat(lp.Constraints.Select(c => c.RightHandSide)))
        {
            if (double.IsFinite(bound)) largest = Math.Max(largest, Math.Abs(bound));
        }

        return largest <= 10_000 ? 1 : Math.Pow(2, Math.Ceiling(Math.Log2(largest / 10_000)));
    }
}
