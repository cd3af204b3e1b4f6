namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Everything the rules need to know about one cell, gathered once from the microdata. Contributions are
/// per unit: all rows of one unit in the cell are summed first, so one unit is one contributor.
/// </summary>
/// <param name="Units">Distinct units in the cell (unweighted), whatever their value.</param>
/// <param name="UnitsWithValue">Distinct units with at least one non-missing value (magnitude tables).</param>
/// <param name="Rows">Microdata rows in the cell.</param>
/// <param name="MissingValueRows">Rows in the cell whose value column is empty.</param>
/// <param name="Sum">Sum of unit contributions (unweighted).</param>
/// <param name="SumOfAbsolute">Sum of the absolute unit contributions; equals <paramref name="Sum"/> without negatives.</param>
/// <param name="TopContributions">Largest absolute unit contributions, descending (as many as the rules need).</param>
/// <param name="Negatives">Units whose contribution is negative.</param>
/// <param name="Min">Smallest unit value, null without values.</param>
/// <param name="Max">Largest unit value, null without values.</param>
/// <param name="WeightTotal">Sum of the weights of the units (of those with a value, for magnitude tables); null unweighted.</param>
/// <param name="WeightedSum">Sum of weight × unit value; null unweighted.</param>
/// <param name="Value">The published statistic recomputed; null when the cell has no (valued) units.</param>
public sealed record CellEvidence(
    int Units,
    int UnitsWithValue,
    long Rows,
    long MissingValueRows,
    double Sum,
    double SumOfAbsolute,
    IReadOnlyList<double> TopContributions,
    int Negatives,
    double? Min,
    double? Max,
    double? WeightTotal,
    double? WeightedSum,
    double? Value)
{
    /// <summary>
    /// Which unit contributes <see cref="X1"/> (ties: the smallest code), as a code of the check's pass over one dataset:
    /// two cells of that pass with the same code have the same largest contributor. -1 when there is none.
    /// </summary>
    public int LargestUnit { get; init; } = -1;

    /// <summary>Largest absolute contribution x1 (0 when none).</summary>
    public double X1 => TopContributions.Count > 0 ? TopContributions[0] : 0;

    /// <summary>Second-largest absolute contribution x2 (0 when fewer than two).</summary>
    public double X2 => TopContributions.Count > 1 ? TopContributions[1] : 0;

    /// <summary>The total dominance and p% compare with: the sum, or the sum of absolutes when negatives are present.</summary>
    public double DominanceTotal => Negatives > 0 ? SumOfAbsolute : Sum;
}
