using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Rules.RuleText;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// A standard deviation must not give away the largest contribution. The attacker is assumed to know the cell's
/// n, mean and std (n and the mean are usually published next to a std, in this request or another one; we
/// cannot see the others, so we assume them). By Samuelson's inequality every unit value lies within
/// <c>mean ± s·(n − 1)/√n</c> (s the sample std, divisor n − 1, as the engine computes it), with equality for the
/// largest value when all other units are equal. So <c>U = mean + s·(n − 1)/√n</c> is an upper bound on the
/// largest value that the published statistics give for free, as X − x2 is in the p% rule.
/// Unsafe when that bound is closer to the largest contribution than p%: <c>|U − x1| &lt; p/100 · |x1|</c>; when the
/// largest absolute contribution is negative, the lower bound <c>mean − s·(n − 1)/√n</c> and the smallest value.
/// Example: n = 10, one unit 1,000,000 and nine 1,000: s = 315,911.5, U = 1,000,000 exactly (and s·√n = 999,000).
/// Dominance and p% also run on std cells and catch such a cell when it is dominated; this rule catches the
/// cell whose largest unit holds only a third of the total but stands alone above equal others.
/// Protection, in value units: <c>p/100 · |x1| − |U − x1|</c>, both directions (the uncertainty the cell lacks).
/// </summary>
public sealed class StdReversalRule(StdReversalSettings settings) : IDisclosureRule
{
    public string Id => "std_reversal";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        if (table.Statistic.Kind != StatisticKind.Std) return null;
        var e = cell.Evidence;
        var n = e.UnitsWithValue;
        // Fewer than 2 values has no std; the evaluable and threshold rules deal with such cells.
        if (n < 2 || e.Value is not { } std || e.Max is not { } max || e.Min is not { } min) return null;
        var mean = e.Sum / n;
        var halfWidth = std * (n - 1) / Math.Sqrt(n);
        // The largest absolute contribution is the largest value, or the smallest when that is a larger negative.
        var largestIsMax = Math.Abs(max) >= Math.Abs(min);
        var x1 = largestIsMax ? max : min;
        var bound = largestIsMax ? mean + halfWidth : mean - halfWidth;
        // The bound is never inside the data; Abs only absorbs rounding that puts it a hair on the wrong side.
        var gap = Math.Abs(bound - x1);
        var needed = settings.P / 100 * Math.Abs(x1);
        if (!(Math.Abs(x1) > 0) || !(gap < needed)) return null;
        var protection = needed - gap;
        return new RuleFinding(Id, settings.Status,
            $"With n = {n}, the mean and this standard deviation, the {(largestIsMax ? "largest" : "most negative")} unit value is bounded by "
            + $"mean {(largestIsMax ? "+" : "−")} std·(n − 1)/√n = {N(bound)}, within {N(gap / Math.Abs(x1) * 100)}% of it, closer than {N(settings.P)}%.",
            new Dictionary<string, double>
            {
                ["n"] = n, ["mean"] = mean, ["std"] = std, ["bound"] = bound, ["x1"] = x1, ["gap"] = gap,
                ["std_times_sqrt_n"] = std * Math.Sqrt(n), ["p"] = settings.P,
            },
            protection, protection);
    }
}
