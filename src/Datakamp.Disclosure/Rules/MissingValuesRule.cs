using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Rules.RuleText;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Units of the cell without a value (<c>units − units_with_value</c>): they are left out of the statistic and
/// of the unit count n used by the threshold. A few of them are normal in real data and are reported once per
/// table (<see cref="Verdicts.MissingValuesSummary"/>); a cell is flagged only when their share exceeds the
/// policy's <c>max_share_percent</c>, because then the statistic describes a minority of the cell's units
/// and the checker should look (whether having no value is itself telling, say "no income").
/// </summary>
public sealed class MissingValuesRule(MissingValuesSettings settings) : IDisclosureRule
{
    public string Id => "missing_values";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        var e = cell.Evidence;
        if (!table.Statistic.IsMagnitude || e.Units == 0) return null;
        var without = e.Units - e.UnitsWithValue;
        if (without == 0) return null;
        var share = 100.0 * without / e.Units;
        // Compared as without · 100 > max · units, so that a whole-number share at exactly the limit stays below it.
        if (!(without * 100.0 > settings.MaxSharePercent * e.Units)) return null;
        return new RuleFinding(Id, settings.Status,
            $"{without} of {Plural.Count(e.Units, "unit", "units")} ({Percent(share)}%) in this cell {Plural.Word(without, "has", "have")} no value, "
            + $"more than the policy's {N(settings.MaxSharePercent)}%; the statistic describes only {Plural.Count(e.UnitsWithValue, "unit", "units")}.",
            new Dictionary<string, double>
            {
                ["units_without_value"] = without, ["units"] = e.Units, ["share_percent"] = share,
                ["max_share_percent"] = settings.MaxSharePercent, ["missing_rows"] = e.MissingValueRows,
            });
    }
}
