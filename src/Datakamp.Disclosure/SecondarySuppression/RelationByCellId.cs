namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// An additive relation between cells named by id, <c>Total = sum(Parts)</c>: how relations are given to a
/// <see cref="SuppressionProblem"/> before its cells have indices (linked tables name a shared cell by the same id).
/// Inside the problem they become <see cref="Tables.AdditiveRelation"/>s, by cell index, as in a recomputed table.
/// </summary>
public sealed record RelationByCellId(string TotalId, IReadOnlyList<string> PartIds)
{
    /// <inheritdoc />
    public override string ToString() => $"{TotalId} = {string.Join(" + ", PartIds)}";
}
