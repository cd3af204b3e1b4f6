using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Fail closed: a cell whose evidence is not finite (NaN or infinite value, sum or weights), or a
/// magnitude cell with units but no value where one is expected, could not be evaluated and fails.
/// Not configurable by policy.
/// </summary>
public sealed class EvaluableRule : IDisclosureRule
{
    public string Id => "evaluable";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        var e = cell.Evidence;
        var finite = double.IsFinite(e.Sum) && double.IsFinite(e.SumOfAbsolute)
            && e.TopContributions.All(double.IsFinite)
            && (e.Value is null || double.IsFinite(e.Value.Value))
            && (e.WeightTotal is null || double.IsFinite(e.WeightTotal.Value))
            && (e.WeightedSum is null || double.IsFinite(e.WeightedSum.Value));
        var expected = table.Statistic.Kind == StatisticKind.Std ? e.UnitsWithValue >= 2
            : table.Statistic.Kind == StatisticKind.Count ? true
            : e.UnitsWithValue > 0;
        if (finite && (!expected || e.Value is not null)) return null;
        return new RuleFinding(Id, CheckStatus.Fail,
            "This cell could not be evaluated (a value is not a finite number); it cannot pass.",
            new Dictionary<string, double>());
    }
}
