using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// ACRO's <c>zeros_are_disclosive</c> for frequency tables: a cell with <c>n = 0</c> units in a count
/// table is a finding (a zero tells that nobody in the population has that combination).
/// </summary>
public sealed class ZeroCellRule(StatusSettings settings) : IDisclosureRule
{
    public string Id => "zero_cells";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        if (table.Statistic.Kind != StatisticKind.Count || cell.Evidence.Units != 0) return null;
        return new RuleFinding(Id, settings.Status,
            "This cell of a frequency table is zero; the policy treats zeros as disclosive.",
            new Dictionary<string, double> { ["n"] = 0 });
    }
}
