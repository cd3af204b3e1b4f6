namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Running evidence of one cell: unit counts, sums, extremes, Welford mean/M2, and the largest absolute
/// unit contributions (kept by the caller in a span of the table's top array, descending). Units are added
/// one at a time (<see cref="AddUnit"/>), or a whole cell of units that are in no other inner cell is
/// folded into a margin at once (<see cref="Merge"/>): that gives exactly what adding those units one by
/// one would give, up to floating-point rounding of the mean and M2. It also keeps which unit makes the
/// largest contribution (ties: the smallest unit code), so that an insider who is the largest contributor of several
/// cells is one attacker who knows all of them.
/// </summary>
internal struct CellAccumulator
{
    public int Units, UnitsWithValue, Negatives, TopCount;
    public long Rows, MissingRows;
    public double Sum, SumAbs, WeightTotal, WeightedSum, Min, Max, Mean, M2;
    // The unit code of the largest contribution, plus one (0: no contribution yet), so a fresh accumulator is empty.
    private int _largestUnitPlusOne;

    /// <summary>The unit whose contribution is the largest absolute one (ties: the smallest code); -1 when none.</summary>
    public readonly int LargestUnit => _largestUnitPlusOne - 1;

    /// <summary>Adds unit <paramref name="unit"/>: its summed value in the cell (NaN when it has no value there) and its weight.</summary>
    public void AddUnit(Span<double> top, bool magnitude, int unit, double value, double weight)
    {
        Units++;
        if (!magnitude) { WeightTotal += weight; return; }
        if (double.IsNaN(value)) return;
        UnitsWithValue++;
        Sum += value;
        SumAbs += Math.Abs(value);
        if (value < 0) Negatives++;
        WeightTotal += weight;
        WeightedSum += weight * value;
        if (UnitsWithValue == 1) { Min = value; Max = value; }
        else { Min = Math.Min(Min, value); Max = Math.Max(Max, value); }
        var delta = value - Mean;
        Mean += delta / UnitsWithValue;
        M2 += delta * (value - Mean);
        TakeLargest(top, Math.Abs(value), unit);
        InsertTop(top, ref TopCount, Math.Abs(value));
    }

    /// <summary>Adds the units of <paramref name="other"/>, which must be disjoint from this cell's units.</summary>
    public void Merge(Span<double> top, in CellAccumulator other, ReadOnlySpan<double> otherTop)
    {
        Rows += other.Rows;
        MissingRows += other.MissingRows;
        Units += other.Units;
        WeightTotal += other.WeightTotal;
        if (other.UnitsWithValue == 0) return;
        if (UnitsWithValue == 0) { Min = other.Min; Max = other.Max; }
        else { Min = Math.Min(Min, other.Min); Max = Math.Max(Max, other.Max); }
        // Chan et al.'s pairwise update of mean and sum of squared deviations.
        var n = (double)UnitsWithValue + other.UnitsWithValue;
        var delta = other.Mean - Mean;
        M2 += other.M2 + delta * delta * UnitsWithValue * other.UnitsWithValue / n;
        Mean += delta * other.UnitsWithValue / n;
        UnitsWithValue += other.UnitsWithValue;
        Sum += other.Sum;
        SumAbs += other.SumAbs;
        Negatives += other.Negatives;
        WeightedSum += other.WeightedSum;
        if (other.TopCount > 0) TakeLargest(top, otherTop[0], other.LargestUnit);
        for (var i = 0; i < Math.Min(other.TopCount, otherTop.Length); i++) InsertTop(top, ref TopCount, otherTop[i]);
    }

    // Before the contribution joins the top: whether its unit becomes the largest contributor.
    private void TakeLargest(ReadOnlySpan<double> top, double abs, int unit)
    {
        if (TopCount == 0 || abs > top[0] || (abs == top[0] && unit < LargestUnit)) _largestUnitPlusOne = unit + 1;
    }

    // Keeps the largest absolute contributions, descending.
    private static void InsertTop(Span<double> top, ref int count, double abs)
    {
        var n = Math.Min(count, top.Length);
        if (n == top.Length && abs <= top[n - 1]) return;
        var pos = n < top.Length ? n : n - 1;
        while (pos > 0 && top[pos - 1] < abs) { top[pos] = top[pos - 1]; pos--; }
        top[pos] = abs;
        if (count < top.Length) count++;
    }
}
