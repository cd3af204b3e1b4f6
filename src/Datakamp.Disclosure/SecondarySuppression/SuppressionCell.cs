namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// One cell of a table (or of several linked tables) as seen by secondary suppression.
/// </summary>
/// <param name="Id">Unique identifier of the cell.</param>
/// <param name="Value">The true (confidential) value.</param>
/// <remarks>
/// Protection: when the cell is primary, the attacker's feasible interval must reach at least
/// <c>Value - LowerProtection</c> and <c>Value + UpperProtection</c>.
/// A-priori bounds: what any attacker knows about the cell without the table (default [0, +∞) for counts
/// and other non-negative magnitudes; use <see cref="double.NegativeInfinity"/> for tables that can be negative).
/// </remarks>
public sealed record SuppressionCell(string Id, double Value)
{
    /// <summary>Default per-cell constant added to |value| for the default cost, so that zero cells are not free.</summary>
    public const double DefaultCellConstant = 1.0;

    /// <summary>True when the cell is unsafe itself (primary suppression).</summary>
    public bool IsPrimary { get; init; }

    /// <summary>Required downward protection, in value units (≥ 0).</summary>
    public double LowerProtection { get; init; }

    /// <summary>Required upward protection, in value units (≥ 0).</summary>
    public double UpperProtection { get; init; }

    /// <summary>A-priori lower bound known to an attacker. Default 0.</summary>
    public double LowerBound { get; init; }

    /// <summary>A-priori upper bound known to an attacker. Default +∞.</summary>
    public double UpperBound { get; init; } = double.PositiveInfinity;

    /// <summary>Information-loss weight when the cell is suppressed as a secondary. Null: |Value| + <see cref="DefaultCellConstant"/>.</summary>
    public double? Cost { get; init; }

    /// <summary>False for cells that must stay published (e.g. already released elsewhere); they are never chosen as secondaries.</summary>
    public bool MaySuppress { get; init; } = true;

    /// <summary>
    /// False for a cell that no table publishes (e.g. the margins of a table submitted without margins):
    /// the attacker does not know it, so it is an unknown from the start, at no cost, and never reported as
    /// a secondary. Default true.
    /// </summary>
    public bool IsPublished { get; init; } = true;

    /// <summary>
    /// Optional table coordinates (dimension → category, dimensions at their total left out), set by
    /// <see cref="TableBuilder"/>/<see cref="LinkedTables"/>. Used only to focus the complement search on
    /// small sub-tables first; problems without coordinates are searched on the whole cell set.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Coordinates { get; init; }

    /// <summary>
    /// What the cell's largest contributor knows of it (magnitude tables with non-negative contributions); null
    /// when nobody knows more than the a-priori bounds (frequency tables, or contributions unknown).
    /// </summary>
    public ContributorKnowledge? LargestContributor { get; init; }

    /// <summary>The cost actually used.</summary>
    public double EffectiveCost => Cost ?? (Math.Abs(Value) + DefaultCellConstant);
}
