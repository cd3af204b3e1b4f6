using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Standard deviation (sample, divisor n − 1) needs enough residual degrees of freedom: unsafe when
/// <c>n − 1 &lt; degrees_of_freedom</c> for a cell with n ≥ 1 units with a value.
/// </summary>
public sealed class StdDegreesOfFreedomRule(StdSettings settings) : IDisclosureRule
{
    public string Id => "std_degrees_of_freedom";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        var n = cell.Evidence.UnitsWithValue;
        if (table.Statistic.Kind != StatisticKind.Std || n == 0 || n - 1 >= settings.DegreesOfFreedom) return null;
        return new RuleFinding(Id, settings.Status,
            $"A standard deviation over {Plural.Count(n, "unit", "units")} has {Plural.Count(n - 1, "degree", "degrees")} of freedom, fewer than {settings.DegreesOfFreedom}.",
            new Dictionary<string, double> { ["n"] = n, ["degrees_of_freedom"] = n - 1, ["required"] = settings.DegreesOfFreedom });
    }
}
