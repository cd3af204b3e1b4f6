namespace Datakamp.Disclosure.Tables;

/// <summary>
/// total = sum(parts) for cell indexes of one table; the input secondary suppression needs to know which
/// suppressed cells could be recomputed from the others. Only produced for additive statistics (count, sum).
/// </summary>
public sealed record AdditiveRelation(int Total, IReadOnlyList<int> Parts);
