using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Rules.RuleText;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// p% rule for sum, mean and std cells (the same cells as <see cref="DominanceRule"/>, for the same reason): the second-largest contributor, who knows its own value x2, could
/// estimate the largest x1 as X − x2 with an error of X − x1 − x2. Unsafe when
/// <c>X − x1 − x2 &lt; p/100 · x1</c> (as ACRO's p-ratio <c>(X − x1 − x2)/x1 &lt; p/100</c>).
/// Contributions are per unit; with negatives, absolute contributions and X = Σ|x| for that cell.
/// A single contributor fails (X − x1 = 0 &lt; p/100 · x1 when x1 &gt; 0); x1 = 0 has nothing to disclose.
/// Protection: <c>p/100 · x1 − (X − x1 − x2)</c>, both directions.
/// </summary>
public sealed class PPercentRule(PPercentSettings settings) : IDisclosureRule
{
    public string Id => "p_percent";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        if (!DominanceRule.AppliesTo(table.Statistic.Kind)) return null;
        var e = cell.Evidence;
        if (e.UnitsWithValue == 0) return null;
        double x1 = e.X1, x2 = e.X2, total = e.DominanceTotal;
        if (!(x1 > 0)) return null;
        var remainder = total - x1 - x2;
        var needed = settings.P / 100 * x1;
        if (!(remainder < needed)) return null;
        var protection = needed - remainder;
        return new RuleFinding(Id, settings.Status,
            $"The second-largest unit could estimate the largest within {N(remainder / x1 * 100)}%, closer than {N(settings.P)}%.",
            new Dictionary<string, double> { ["x1"] = x1, ["x2"] = x2, ["total"] = total, ["remainder"] = remainder, ["p"] = settings.P },
            protection, protection);
    }
}
