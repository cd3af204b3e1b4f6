namespace Datakamp.Disclosure.Tables;

/// <summary>
/// total = sum(parts) by cell index: of one recomputed table (only produced for additive statistics, count and sum),
/// and of a <see cref="SecondarySuppression.SuppressionProblem"/>, where it tells which suppressed cells could be
/// recomputed from the others.
/// </summary>
public sealed record AdditiveRelation(int Total, IReadOnlyList<int> Parts);
