namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Running evidence of one cell: unit counts, sums, extremes, Welford mean/M2, and the largest absolute
/// unit contributions (kept by the caller in a span of the table's top array, descending). Units are added
/// one at a time (<see cref="AddUnit"/>), or a whole cell of units that are in no other inner cell is
/// folded into a margin at once (<see cref="Merge"/>): that gives exactly what adding those units one by
/// one would give, up to floating-point rounding of the mean and M2.
/// </summary>
internal struct CellAccumulator
{
    public int Units, UnitsWithValue, Negatives, TopCount;
    public long Rows, MissingRows;
    public double Sum, SumAbs, WeightTotal, WeightedSum, Min, Max, Mean, M2;

    /// <summary>Adds one unit: its summed value in the cell (NaN when it has no value there) and its weight.</summary>
    public void AddUnit(Span<double> top, bool magnitude, double value, double weight)
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
        for (var i = 0; i < Math.Min(other.TopCount, otherTop.Length); i++) InsertTop(top, ref TopCount, otherTop[i]);
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
