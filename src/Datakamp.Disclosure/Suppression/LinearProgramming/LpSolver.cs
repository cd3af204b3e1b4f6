using Google.OrTools.LinearSolver;

namespace Datakamp.Disclosure.Suppression.LinearProgramming;

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
    private readonly MPSolverParameters _parameters = new();

    public LpSolver(LinearProgram lp)
    {
        // Presolve off: it would rebuild the problem on every solve and throw away the basis the next objective starts from.
        _parameters.SetIntegerParam(MPSolverParameters.IntegerParam.PRESOLVE, (int)MPSolverParameters.PresolveValues.PRESOLVE_OFF);
        _parameters.SetIntegerParam(MPSolverParameters.IntegerParam.INCREMENTALITY, (int)MPSolverParameters.IncrementalityValues.INCREMENTALITY_ON);
        ArgumentNullException.ThrowIfNull(lp);
        _solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("The OR-Tools GLOP solver is not available on this machine.");
        _variables = new Variable[lp.VariableCount];
        for (var j = 0; j < lp.VariableCount; j++)
        {
            _variables[j] = _solver.MakeNumVar(lp.Lower[j], lp.Upper[j], $"x{j}");
        }

        foreach (var row in lp.Constraints)
        {
            var constraint = _solver.MakeConstraint(row.RightHandSide, row.RightHandSide);
            for (var k = 0; k < row.Count; k++)
            {
                constraint.SetCoefficient(_variables[row.Variables[k]], row.Coefficients[k]);
            }
        }
    }

    /// <summary>Minimises <c>cost · x</c> over the program; <see cref="LpResult.Values"/> holds x when optimal.</summary>
    public LpResult Minimize(IReadOnlyList<double> cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.Count != _variables.Length)
        {
            throw new ArgumentException($"Expected {_variables.Length} cost coefficients, got {cost.Count}.", nameof(cost));
        }

        var objective = _solver.Objective();
        for (var j = 0; j < _variables.Length; j++)
        {
            objective.SetCoefficient(_variables[j], cost[j]);
        }

        objective.SetMinimization();
        return _solver.Solve(_parameters) switch
        {
            Solver.ResultStatus.OPTIMAL => new LpResult(LpStatus.Optimal, objective.Value(), _variables.Select(v => v.SolutionValue()).ToArray()),
            Solver.ResultStatus.INFEASIBLE => new LpResult(LpStatus.Infeasible, double.NaN, []),
            Solver.ResultStatus.UNBOUNDED => new LpResult(LpStatus.Unbounded, double.NegativeInfinity, []),
            Solver.ResultStatus.FEASIBLE => new LpResult(LpStatus.IterationLimit, double.NaN, []),
            _ => new LpResult(LpStatus.NumericalFailure, double.NaN, []),
        };
    }

    public void Dispose() => _solver.Dispose();
}
