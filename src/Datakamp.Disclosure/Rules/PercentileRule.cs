using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Medians and percentiles are (interpolations of) real units' values, so a cell with <c>n &gt; 0</c>
/// units with a value always gets a finding with the policy's status (review by default); the threshold
/// rule still applies to them.
/// </summary>
public sealed class PercentileRule(StatusSettings settings) : IDisclosureRule
{
    public string Id => "percentile_value";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        if (table.Statistic.Kind is not (StatisticKind.Median or StatisticKind.Percentile) || cell.Evidence.UnitsWithValue == 0) return null;
        return new RuleFinding(Id, settings.Status,
            $"A {table.Statistic} is (close to) a real unit's value; check that no unit can be recognised.",
            new Dictionary<string, double> { ["n"] = cell.Evidence.UnitsWithValue });
    }
}
