namespace Datakamp.Disclosure.Tables;

/// <summary>
/// One cell, inner or margin. <see cref="Coordinates"/> holds per dimension the index of the category in
/// <see cref="TableDimension.Categories"/>, or <see cref="Total"/> for a margin over that dimension.
/// </summary>
public sealed record TableCell(int Index, IReadOnlyList<int> Coordinates, CellEvidence Evidence)
{
    /// <summary>Coordinate meaning "all categories of this dimension" (a margin).</summary>
    public const int Total = -1;

    /// <summary>True when at least one coordinate is a margin.</summary>
    public bool IsMargin => Coordinates.Contains(Total);
}
