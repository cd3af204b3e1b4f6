using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Tables;
using Datakamp.Disclosure.Rules;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Statistics the policy does not list under <c>statistics.allowed</c> are unsafe in every cell. This is
/// how min and max fail by default: each is one unit's own value.
/// </summary>
public sealed class StatisticAllowedRule(StatisticSettings settings) : IDisclosureRule
{
    public string Id => "statistic_allowed";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        if (settings.IsAllowed(table.Statistic)) return null;
        return new RuleFinding(Id, settings.NotAllowedStatus,
            $"The statistic '{table.Statistic}' is not allowed by this policy" +
            (table.Statistic.IsUnitValue ? " (it shows a single unit's value)." : "."),
            new Dictionary<string, double>());
    }
}
