namespace Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

/// <summary>
/// Result of minimising one objective. <see cref="Values"/> is meaningful only when <see cref="Status"/> is
/// <see cref="LpStatus.Optimal"/> and the values were asked for (else it is empty).
/// </summary>
public sealed record LpResult(LpStatus Status, double Objective, IReadOnlyList<double> Values);
