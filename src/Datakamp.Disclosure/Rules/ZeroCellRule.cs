using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// ACRO's <c>zeros_are_disclosive</c>: an empty cell is a finding. In a frequency table that is a cell with
/// <c>n = 0</c> units; in a magnitude table a cell without a unit that has a value (ACRO counts values, so it
/// flags such a cell through its threshold, 0 &lt; 10). Either way the zero tells that nobody in the
/// population has that combination (a structural zero). Policies without <c>zero_cells</c> let empty cells pass.
/// </summary>
public sealed class ZeroCellRule(StatusSettings settings) : IDisclosureRule
{
    public string Id => "zero_cells";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        var magnitude = table.Statistic.IsMagnitude;
        var n = magnitude ? cell.Evidence.UnitsWithValue : cell.Evidence.Units;
        if (n != 0) return null;
        return new RuleFinding(Id, settings.Status,
            magnitude
                ? "This cell of a magnitude table has no unit with a value; the policy treats empty cells as disclosive."
                : "This cell of a frequency table is zero; the policy treats zeros as disclosive.",
            new Dictionary<string, double> { ["n"] = 0 });
    }
}
