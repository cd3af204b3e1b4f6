namespace Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

/// <summary>Outcome of one linear-programming solve.</summary>
public enum LpStatus
{
    /// <summary>An optimal solution was found.</summary>
    Optimal,

    /// <summary>No point satisfies the constraints and bounds.</summary>
    Infeasible,

    /// <summary>The objective decreases without limit.</summary>
    Unbounded,

    /// <summary>The iteration limit was hit; the result must not be trusted.</summary>
    IterationLimit,

    /// <summary>The final point violates the constraints by more than the tolerance; the result must not be trusted.</summary>
    NumericalFailure,
}
