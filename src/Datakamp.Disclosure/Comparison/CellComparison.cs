using Datakamp.Disclosure.Policies;

namespace Datakamp.Disclosure.Comparison;

/// <summary>
/// Submitted vs recomputed value of one cell. Equal when both are empty, or both are numbers with
/// <c>|s − r| ≤ tolerance · max(|s|, |r|, 1e-12)</c> (relative tolerance from the policy, default 1e-9,
/// enough for different summation orders, far too small for rounding to be hidden).
/// A cell missing from the submitted file is a finding too, unless it is empty in the recomputation.
/// </summary>
public sealed record CellComparison(double? Submitted, double? Recomputed, bool Present, CheckStatus Status, string? Message)
{
    public double? Difference => Submitted is { } s && Recomputed is { } r ? s - r : null;

    public static CellComparison Compare(bool present, double? submitted, double? recomputed, ComparisonSettings settings)
    {
        if (!present)
            return recomputed is null or 0
                ? new(null, recomputed, false, CheckStatus.Pass, null)
                : new(null, recomputed, false, settings.MissingCellStatus, "This cell is missing from the submitted file.");
        if (submitted is null && recomputed is null) return new(null, null, true, CheckStatus.Pass, null);
        if (submitted is { } s && recomputed is { } r)
        {
            var scale = Math.Max(Math.Max(Math.Abs(s), Math.Abs(r)), 1e-12);
            if (Math.Abs(s - r) <= settings.RelativeTolerance * scale) return new(s, r, true, CheckStatus.Pass, null);
        }
        return new(submitted, recomputed, true, settings.MismatchStatus,
            $"The submitted value ({Show(submitted)}) differs from the value recomputed from the microdata ({Show(recomputed)}).");
    }

    /// <summary>No submitted file was given: nothing to compare, so no finding.</summary>
    public static CellComparison NotCompared(double? recomputed) => new(null, recomputed, false, CheckStatus.Pass, null);

    private static string Show(double? v) => v is { } x ? x.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "empty";
}
