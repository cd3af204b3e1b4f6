namespace Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

/// <summary>
/// One equality row of a linear program: <c>sum(Coefficients[k] * x[Variables[k]]) = RightHandSide</c>.
/// Stored sparsely; a variable may appear at most once per row.
/// </summary>
public sealed record LinearConstraint(IReadOnlyList<int> Variables, IReadOnlyList<double> Coefficients, double RightHandSide)
{
    /// <summary>Number of non-zero terms.</summary>
    public int Count => Variables.Count;
}
