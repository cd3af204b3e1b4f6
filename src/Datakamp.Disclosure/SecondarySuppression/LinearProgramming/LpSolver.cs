using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// <para>
/// The columns, coefficients and values go through the library's own native entry points with raw pointers (see
/// <see cref="Native"/>) instead of its C# wrapper: the wrapper makes a finalizable proxy object for every column it
/// creates, and those proxies, not the native work, were most of loading a program. The native calls, their order and
/// their arguments are the wrapper's, so GLOP gets the same program and returns the same solution.
/// </para>
/// </remarks>
public sealed class LpSolver : IDisposable
{
    private readonly Solver _solver;
    // The native MPSolver, its objective and its columns (MPVariable*): they belong to _solver and live as long as it.
    private readonly IntPtr _native;
    private readonly Objective _objectiveProxy;
    private readonly IntPtr _nativeObjective;
    private readonly IntPtr[] _variables;
    // The objective's coefficients as the native solver has them (all 0 when it is created).
    private readonly double[] _objective;
    private readonly double _scale;
    private readonly MPSolverParameters _parameters = new();
    private static readonly MPSolverParameters Afresh = FreshStart();

    public LpSolver(LinearProgram lp)
    {
        // Presolve off: it would rebuild the problem on every solve and throw away the basis the next objective starts from.
        _parameters.SetIntegerParam(MPSolverParameters.IntegerParam.PRESOLVE, (int)MPSolverParameters.PresolveValues.PRESOLVE_OFF);
        _parameters.SetIntegerParam(MPSolverParameters.IntegerParam.INCREMENTALITY, (int)MPSolverParameters.IncrementalityValues.INCREMENTALITY_ON);
        ArgumentNullException.ThrowIfNull(lp);
        _solver = Solver.CreateSolver("GLOP") ?? throw new InvalidOperationException("The OR-Tools GLOP solver is not available on this machine.");
        _scale = ScaleOf(lp);
        _native = SolverHandle(_solver).Handle;
        _objectiveProxy = _solver.Objective();
        _nativeObjective = ObjectiveHandle(_objectiveProxy).Handle;
        _variables = new IntPtr[lp.VariableCount];
        _objective = new double[lp.VariableCount];
        for (var j = 0; j < lp.VariableCount; j++)
        {
            _variables[j] = Native.MakeNumVar(_native, lp.Lower[j] / _scale, lp.Upper[j] / _scale, Native.EmptyName);
        }

        foreach (var row in lp.Constraints)
        {
            var constraint = Native.MakeConstraint(_native, row.RightHandSide / _scale, row.RightHandSide / _scale);
            for (var k = 0; k < row.Count; k++)
            {
                Native.SetCoefficient(constraint, _variables[row.Variables[k]], row.Coefficients[k]);
            }
        }

        // The raw pointers do not keep the wrapper alive, and its finalizer deletes the native solver.
        GC.KeepAlive(_solver);
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
        var objective = _objectiveProxy;
        for (var j = 0; j < _variables.Length; j++)
        {
            if (cost[j] != _objective[j])
            {
                Native.SetObjectiveCoefficient(_nativeObjective, _variables[j], cost[j]);
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
        var result = status switch
        {
            Solver.ResultStatus.OPTIMAL => new LpResult(LpStatus.Optimal, objective.Value() * _scale, withValues ? Values() : []),
            Solver.ResultStatus.INFEASIBLE => new LpResult(LpStatus.Infeasible, double.NaN, []),
            Solver.ResultStatus.UNBOUNDED => new LpResult(LpStatus.Unbounded, double.NegativeInfinity, []),
            Solver.ResultStatus.FEASIBLE => new LpResult(LpStatus.IterationLimit, double.NaN, []),
            _ => new LpResult(LpStatus.NumericalFailure, double.NaN, []),
        };
        GC.KeepAlive(_solver);
        return result;
    }

    private double[] Values()
    {
        var values = new double[_variables.Length];
        for (var j = 0; j < values.Length; j++)
        {
            values[j] = Native.SolutionValue(_variables[j]) * _scale;
        }

        return values;
    }

    public void Dispose() => _solver.Dispose();

    // The wrapper's pointers to its native objects (private fields; the wrapper has no public accessor).
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "swigCPtr")]
    private static extern ref HandleRef SolverHandle(Solver solver);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "swigCPtr")]
    private static extern ref HandleRef ObjectiveHandle(Objective objective);

    /// <summary>
    /// The OR-Tools native library's entry points that the C# wrapper itself calls for <c>Solver.MakeNumVar</c>,
    /// <c>Solver.MakeConstraint</c>, <c>Constraint.SetCoefficient</c>, <c>Objective.SetCoefficient</c> and
    /// <c>Variable.SolutionValue</c>, declared here with plain pointers so that no proxy object is made per column.
    /// They exist as long as the package is 9.15; another version may rename them, which the tests catch at once.
    /// </summary>
    private static class Native
    {
        private const string Library = "google-ortools-native";
        private const string Prefix = "CSharp_GooglefOrToolsfLinearSolver_";

        // The columns' name, "" as the wrapper passes it: allocated once and never freed.
        public static readonly IntPtr EmptyName = Marshal.StringToHGlobalAnsi("");

        [DllImport(Library, EntryPoint = Prefix + "Solver_MakeNumVar___")]
        public static extern IntPtr MakeNumVar(IntPtr solver, double lower, double upper, IntPtr name);

        [DllImport(Library, EntryPoint = Prefix + "Solver_MakeConstraint__SWIG_0___")]
        public static extern IntPtr MakeConstraint(IntPtr solver, double lower, double upper);

        [DllImport(Library, EntryPoint = Prefix + "Constraint_SetCoefficient___")]
        public static extern void SetCoefficient(IntPtr constraint, IntPtr variable, double coefficient);

        [DllImport(Library, EntryPoint = Prefix + "Objective_SetCoefficient___")]
        public static extern void SetObjectiveCoefficient(IntPtr objective, IntPtr variable, double coefficient);

        [DllImport(Library, EntryPoint = Prefix + "Variable_SolutionValue___")]
        public static extern double SolutionValue(IntPtr variable);
    }

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
