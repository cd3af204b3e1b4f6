using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Rows of the cell whose value column is empty (<c>missing &gt; 0</c>): they are left out of the statistic
/// and of the unit count n used by the threshold, and the checker should know.
/// </summary>
public sealed class MissingValuesRule(StatusSettings settings) : IDisclosureRule
{
    public string Id => "missing_values";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        var e = cell.Evidence;
        if (!table.Statistic.IsMagnitude || e.MissingValueRows == 0) return null;
        return new RuleFinding(Id, settings.Status,
            $"{e.MissingValueRows} of {Plural.Count(e.Rows, "row", "rows")} {Plural.Word(e.MissingValueRows, "has", "have")} no value; {Plural.Word(e.MissingValueRows, "it is", "they are")} not part of the statistic.",
            new Dictionary<string, double> { ["missing_rows"] = e.MissingValueRows, ["rows"] = e.Rows });
    }
}
