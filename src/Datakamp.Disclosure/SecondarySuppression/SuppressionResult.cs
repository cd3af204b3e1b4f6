namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>Output of <see cref="SecondarySuppressor"/>.</summary>
/// <param name="Status">Verdict; publish only when <see cref="SuppressionStatus.Protected"/>.</param>
/// <param name="Cells">All suppressed cells (primary and secondary), in problem order.</param>
/// <param name="SecondaryCount">Number of secondary cells (information loss).</param>
/// <param name="SecondaryValueSum">Sum of |value| of the secondary cells (information loss).</param>
/// <param name="SecondaryCostSum">Sum of the costs of the secondary cells (information loss).</param>
/// <param name="UnprotectedCellIds">Primary cells that do not meet their requirement (empty when protected).</param>
/// <param name="Message">Human-readable summary.</param>
public sealed record SuppressionResult(
    SuppressionStatus Status,
    IReadOnlyList<SuppressedCell> Cells,
    int SecondaryCount,
    double SecondaryValueSum,
    double SecondaryCostSum,
    IReadOnlyList<string> UnprotectedCellIds,
    string Message)
{
    /// <summary>True only when the pattern is verified safe.</summary>
    public bool IsProtected => Status == SuppressionStatus.Protected;

    /// <summary>Ids of all suppressed cells.</summary>
    public IReadOnlySet<string> SuppressedIds => Cells.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

    /// <summary>Ids of the secondary cells.</summary>
    public IEnumerable<string> SecondaryIds => Cells.Where(c => c.Kind == SuppressionKind.Secondary).Select(c => c.Id);
}
