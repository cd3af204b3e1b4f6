namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>An additive relation by cell index: <c>cells[Total] = sum(cells[Parts])</c>.</summary>
public sealed record RelationIndex(int Total, IReadOnlyList<int> Parts);
