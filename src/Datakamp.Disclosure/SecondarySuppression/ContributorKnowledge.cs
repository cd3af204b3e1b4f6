namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// What the largest contributor of a cell knows about it: its own contribution, so the cell is at least that
/// much; and, when it is the only contributor, the cell exactly. Such an insider who also sees the published
/// table narrows the other suppressed cells further than an outsider can (the singleton and multi-cell
/// disclosure problem of magnitude tables), so every primary must be protected against it too.
/// </summary>
/// <param name="Contribution">The largest single contribution to the cell (≥ 0, at most the cell's value).</param>
/// <param name="OnlyContributor">True when nobody else contributes: the contributor knows the cell exactly.</param>
public sealed record ContributorKnowledge(double Contribution, bool OnlyContributor)
{
    /// <summary>
    /// Who the contributor is, as a code that is the same in every cell of the problem where that unit is the largest
    /// contributor: one insider then knows all those cells at once (a business that dominates a cell of the table by
    /// region and one of the table by industry). Null when unknown: the cell's contributor is then an insider of this
    /// cell alone.
    /// </summary>
    public int? Unit { get; init; }

    /// <summary>The insider's bounds on a cell with this value and these a-priori bounds.</summary>
    public (double Lower, double Upper) BoundsOn(double value, double lowerBound, double upperBound) =>
        OnlyContributor ? (value, value) : (Math.Max(lowerBound, Contribution), upperBound);
}
