using System.Globalization;

namespace Datakamp.Disclosure.Specs;

/// <summary>
/// A cell statistic as written in a spec: <c>count | sum | mean | median | min | max | std | pNN</c>
/// (<c>p10</c>, <c>p90</c>, 1 ≤ NN ≤ 99). The median is kept apart from <c>p50</c> only in name.
/// </summary>
public sealed record Statistic(StatisticKind Kind, int Percentile = 0)
{
    /// <summary>True when the cell value is built from a value column, not just from unit counts.</summary>
    public bool IsMagnitude => Kind != StatisticKind.Count;

    /// <summary>True when cells add up along each dimension (total = sum of parts), so suppression relations hold.</summary>
    public bool IsAdditive => Kind is StatisticKind.Count or StatisticKind.Sum;

    /// <summary>True when the cell shows one unit's own value (median, percentiles, min, max).</summary>
    public bool IsUnitValue => Kind is StatisticKind.Median or StatisticKind.Percentile or StatisticKind.Min or StatisticKind.Max;

    /// <summary>The quantile level in [0,1] for median and percentiles.</summary>
    public double Quantile => Kind == StatisticKind.Median ? 0.5 : Percentile / 100.0;

    /// <summary>Name of the statistic family as used in a policy's <c>statistics.allowed</c> list.</summary>
    public string Family => Kind.ToString().ToLowerInvariant();

    public override string ToString() =>
        Kind == StatisticKind.Percentile ? "p" + Percentile.ToString("00", CultureInfo.InvariantCulture) : Family;

    /// <summary>Parses a spec's statistic; null when the text is not a statistic.</summary>
    public static Statistic? TryParse(string text)
    {
        switch (text)
        {
            case "count": return new(StatisticKind.Count);
            case "sum": return new(StatisticKind.Sum);
            case "mean": return new(StatisticKind.Mean);
            case "median": return new(StatisticKind.Median);
            case "min": return new(StatisticKind.Min);
            case "max": return new(StatisticKind.Max);
            case "std": return new(StatisticKind.Std);
        }
        if (text.Length is 2 or 3 && text[0] == 'p' && text[1..].All(char.IsAsciiDigit)
            && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 99)
            return new(StatisticKind.Percentile, p);
        return null;
    }

    /// <summary>Families a policy may list under <c>statistics.allowed</c>.</summary>
    public static readonly IReadOnlyList<string> Families = ["count", "sum", "mean", "median", "percentile", "min", "max", "std"];
}
