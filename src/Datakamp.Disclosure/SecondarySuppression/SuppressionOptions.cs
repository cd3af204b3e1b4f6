namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>Tuning of <see cref="SecondarySuppressor"/>. Defaults suit tables up to a few thousand cells.</summary>
public sealed record SuppressionOptions
{
    /// <summary>
    /// After the greedy phase, try to drop secondary cells (most expensive first) whose removal keeps every
    /// primary protected. Deterministic. Default true.
    /// </summary>
    public bool RemoveRedundantSecondaries { get; init; } = true;

    /// <summary>
    /// Skip the clean-up when (secondaries × primaries) exceeds this, to bound run time on large tables.
    /// </summary>
    public int RedundancyWorkLimit { get; init; } = 8_000;

    /// <summary>Rounds of re-protection when final verification finds an under-protected primary. Default 3.</summary>
    public int MaxRepairRounds { get; init; } = 3;

    /// <summary>How often one primary is protected against a further insider, and the primaries gone over again, before giving up.</summary>
    public int MaxInsiderRounds { get; init; } = 50;
}
