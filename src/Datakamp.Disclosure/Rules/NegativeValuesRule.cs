using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Negative contributions make dominance and p% less meaningful. Judged per cell: a cell with
/// <c>negatives &gt; 0</c> units below zero is marked (dominance and p% then use absolute values for that
/// cell only); other cells of the table are not affected, unlike ACRO which stops trusting the whole table.
/// </summary>
public sealed class NegativeValuesRule(StatusSettings settings) : IDisclosureRule
{
    public string Id => "negatives";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        var e = cell.Evidence;
        if (e.Negatives == 0) return null;
        return new RuleFinding(Id, settings.Status,
            $"{e.Negatives} of {Plural.Count(e.UnitsWithValue, "unit", "units")} {Plural.Word(e.Negatives, "contributes", "contribute")} a negative value; dominance was judged on absolute values.",
            new Dictionary<string, double> { ["negatives"] = e.Negatives, ["units_with_value"] = e.UnitsWithValue });
    }
}
