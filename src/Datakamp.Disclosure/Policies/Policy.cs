namespace Datakamp.Disclosure.Policies;

/// <summary>
/// A named, versioned disclosure policy: which rules run, with which parameters, and which status each
/// yields. A rule that is null is not part of the policy. Loaded from <c>policies/*.yaml</c> by
/// <see cref="PolicyLoader"/>; the threshold rule is mandatory so that no policy can forget it.
/// </summary>
public sealed record Policy
{
    public required string Name { get; init; }
    public required int Version { get; init; }
    public string Description { get; init; } = "";
    public required ThresholdSettings Threshold { get; init; }
    public DominanceSettings? Dominance { get; init; }
    public PPercentSettings? PPercent { get; init; }
    /// <summary>A cell holding every unit of its row/column group (the others are zero): everyone in the group is known to have it.</summary>
    public StatusSettings? GroupDisclosure { get; init; }
    /// <summary>ACRO's <c>zeros_are_disclosive</c>: an empty cell of a frequency table is itself a finding.</summary>
    public StatusSettings? ZeroCells { get; init; }
    public StatusSettings? Negatives { get; init; }
    /// <summary>Cells where more than a share of the units have no value; null: no per-cell finding (the table-level count is still reported).</summary>
    public MissingValuesSettings? MissingValues { get; init; }
    /// <summary>Status for median and percentile cells that pass the threshold (they are real unit values).</summary>
    public StatusSettings? Percentiles { get; init; }
    public StdSettings? Std { get; init; }
    /// <summary>
    /// Std cells whose n, mean and std bound the largest contribution too closely. Never null: a policy without the
    /// key still gets it (p from p_percent, else 10; status fail), because a std table must not be reversible.
    /// </summary>
    public required StdReversalSettings StdReversal { get; init; }
    public required StatisticSettings Statistics { get; init; }
    public required ComparisonSettings Comparison { get; init; }
    public required SuppressionSettings Suppression { get; init; }
    public required LimitSettings Limits { get; init; }
}
