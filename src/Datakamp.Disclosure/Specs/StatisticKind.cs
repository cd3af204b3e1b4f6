namespace Datakamp.Disclosure.Specs;

/// <summary>What a table cell shows. Percentiles carry their level in <see cref="Statistic"/>.</summary>
public enum StatisticKind
{
    Count,
    Sum,
    Mean,
    Median,
    Percentile,
    Min,
    Max,
    Std,
}
