namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>An additive relation between cells: <c>Total = sum(Parts)</c>.</summary>
public sealed record AdditiveRelation(string TotalId, IReadOnlyList<string> PartIds)
{
    /// <inheritdoc />
    public override string ToString() => $"{TotalId} = {string.Join(" + ", PartIds)}";
}
