using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Policies;

/// <summary>Minimum number of distinct units per cell; a cell with 0 &lt; n &lt; <see cref="MinUnits"/> is unsafe.</summary>
public sealed record ThresholdSettings(int MinUnits, CheckStatus Status);

/// <summary>
/// (n,k) dominance: the <see cref="N"/> largest units may not hold more than <see cref="KPercent"/>% of the cell.
/// With <see cref="UnsafeAtK"/> true a share of exactly k% is unsafe too (ACRO 1.0.1 compares with &gt;=).
/// </summary>
public sealed record DominanceSettings(int N, double KPercent, CheckStatus Status, bool UnsafeAtK = false);

/// <summary>p% rule: the second-largest unit may not estimate the largest within <see cref="P"/>%.</summary>
public sealed record PPercentSettings(double P, CheckStatus Status);

/// <summary>A rule that only needs the status it yields when it fires.</summary>
public sealed record StatusSettings(CheckStatus Status);

/// <summary>
/// Units without a value, per cell: a cell is flagged only when more than <see cref="MaxSharePercent"/>% of its
/// units have no value (0 flags every cell with any unit without a value). The table-level count is always reported.
/// </summary>
public sealed record MissingValuesSettings(double MaxSharePercent, CheckStatus Status);

/// <summary>
/// A standard deviation published with n and the mean bounds the largest contribution; unsafe when that bound
/// lies within <see cref="P"/>% of it (the p% idea applied to what a std cell gives away).
/// </summary>
public sealed record StdReversalSettings(double P, CheckStatus Status);

/// <summary>Standard deviations need enough residual degrees of freedom (n − 1 ≥ <see cref="DegreesOfFreedom"/>).</summary>
public sealed record StdSettings(int DegreesOfFreedom, CheckStatus Status);

/// <summary>Submitted value vs recomputed value: equal within a relative tolerance, else a finding.</summary>
public sealed record ComparisonSettings(double RelativeTolerance, CheckStatus MismatchStatus, CheckStatus MissingCellStatus);

/// <summary>Which statistics may be released at all, and what happens to the others.</summary>
public sealed record StatisticSettings(IReadOnlySet<string> Allowed, CheckStatus NotAllowedStatus)
{
    public bool IsAllowed(Statistic s) => Allowed.Contains(s.Family);
}

/// <summary>
/// How much protection a primary-suppressed frequency (threshold) cell needs: a percentage of the
/// cell value, at least <see cref="MinimumProtection"/> value units.
/// </summary>
public sealed record SuppressionSettings(double FrequencyProtectionPercent, double MinimumProtection);

/// <summary>Pre-screen limits applied before any recomputation.</summary>
public sealed record LimitSettings(
    long MaxTableCells,
    long MaxFileBytes,
    IReadOnlyList<string> AllowedExtensions,
    IReadOnlyList<string> ForbiddenColumns);
