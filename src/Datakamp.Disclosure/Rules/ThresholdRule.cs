using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Rules.RuleText;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Minimum frequency. Unsafe when <c>0 &lt; n &lt; N</c>, with n the distinct units in the cell; for
/// magnitude statistics n counts only units with a non-missing value (a mean of 7 incomes in a cell of
/// 13 people has n = 7). An empty cell (n = 0) is left to the zero-cell and group rules.
/// Protection: max(frequency_protection_percent/100 · |cell value|, minimum_protection), both directions.
/// </summary>
public sealed class ThresholdRule(ThresholdSettings settings, SuppressionSettings suppression) : IDisclosureRule
{
    public string Id => "threshold";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        var n = cell.Evidence.UnitsWithValue;
        if (n <= 0 || n >= settings.MinUnits) return null;
        var protection = FrequencyProtection(cell.Evidence.Value, suppression);
        var what = (n == 1 ? "unit" : "units") + (table.Statistic.IsMagnitude ? " with a value" : "");
        return new RuleFinding(Id, settings.Status,
            $"{n} {what} in this cell, fewer than the minimum of {settings.MinUnits}.",
            new Dictionary<string, double> { ["n"] = n, ["min_units"] = settings.MinUnits },
            protection, protection);
    }

    /// <summary>max(percent/100 · |value|, minimum) — the protection used for frequency-type findings.</summary>
    public static double FrequencyProtection(double? value, SuppressionSettings s) =>
        Math.Max(s.FrequencyProtectionPercent / 100 * Math.Abs(value is { } v && double.IsFinite(v) ? v : 0), s.MinimumProtection);
}
