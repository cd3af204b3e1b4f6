namespace Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

/// <summary>
/// A linear program in bounded equality form: <c>A x = b</c>, <c>lower ≤ x ≤ upper</c>.
/// Bounds may be infinite (<see cref="double.NegativeInfinity"/> / <see cref="double.PositiveInfinity"/>).
/// The objective is supplied per solve (see <see cref="LpSolver"/>), so that one feasible basis
/// can serve many objectives.
/// </summary>
public sealed class LinearProgram
{
    private readonly List<LinearConstraint> _constraints = [];

    /// <summary>Creates a program with <paramref name="variableCount"/> variables, all bounded to [0, +∞).</summary>
    public LinearProgram(int variableCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(variableCount);
        VariableCount = variableCount;
        Lower = new double[variableCount];
        Upper = new double[variableCount];
        Array.Fill(Upper, double.PositiveInfinity);
    }

    /// <summary>Number of variables (columns).</summary>
    public int VariableCount { get; }

    /// <summary>Lower bounds, one per variable.</summary>
    public double[] Lower { get; }

    /// <summary>Upper bounds, one per variable.</summary>
    public double[] Upper { get; }

    /// <summary>The equality rows.</summary>
    public IReadOnlyList<LinearConstraint> Constraints => _constraints;

    /// <summary>Sets the bounds of one variable.</summary>
    public void SetBounds(int variable, double lower, double upper)
    {
        if (double.IsNaN(lower) || double.IsNaN(upper) || lower > upper || double.IsPositiveInfinity(lower) || double.IsNegativeInfinity(upper))
        {
            throw new ArgumentException($"Invalid bounds [{lower}, {upper}] for variable {variable}.");
        }

        Lower[variable] = lower;
        Upper[variable] = upper;
    }

    /// <summary>Adds the row <c>sum(coefficients * x[variables]) = rhs</c>. Zero coefficients are dropped.</summary>
    public void AddEquality(IReadOnlyList<int> variables, IReadOnlyList<double> coefficients, double rhs)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (variables.Count != coefficients.Count)
        {
            throw new ArgumentException("Variables and coefficients differ in length.");
        }

        if (!double.IsFinite(rhs))
        {
            throw new ArgumentException("Right-hand side must be finite.", nameof(rhs));
        }

        // A set only for long rows: most rows of a table have a handful of terms, and a set per row is most of the cost.
        var seen = variables.Count > 16 ? new HashSet<int>() : null;
        var vars = new List<int>(variables.Count);
        var coefs = new List<double>(variables.Count);
        for (var k = 0; k < variables.Count; k++)
        {
            var v = variables[k];
            if (v < 0 || v >= VariableCount)
            {
                throw new ArgumentOutOfRangeException(nameof(variables), $"Variable {v} out of range.");
            }

            if (seen is null ? IndexOf(variables, v, k) >= 0 : !seen.Add(v))
            {
                throw new ArgumentException($"Variable {v} appears twice in one row.");
            }

            if (!double.IsFinite(coefficients[k]))
            {
                throw new ArgumentException("Coefficients must be finite.");
            }

            if (coefficients[k] != 0)
            {
                vars.Add(v);
                coefs.Add(coefficients[k]);
            }
        }

        _constraints.Add(new LinearConstraint(vars, coefs, rhs));
    }

    /// <summary>Index of <paramref name="variable"/> among the first <paramref name="count"/> entries, or -1.</summary>
    private static int IndexOf(IReadOnlyList<int> variables, int variable, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (variables[i] == variable)
            {
                return i;
            }
        }

        return -1;
    }
}
