using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Rules;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.PrimarySuppression;

/// <summary>
/// Runs the rules over every cell and marks failing cells as primary-suppressed. The required protection
/// of a suppressed cell is the largest protection any failing rule asks for (p%: p/100·x1 − (X − x1 − x2);
/// dominance: 100/k·Σtop-n − X; std reversal: p/100·|x1| − gap; threshold: the frequency protection); a failing rule
/// without its own formula (zero cell, statistic not allowed, not evaluable) gets the frequency protection
/// max(frequency_protection_percent/100 · |value|, minimum_protection). Secondary suppression is not done here.
/// </summary>
public static class PrimarySuppressor
{
    /// <summary>Assesses every cell of <paramref name="table"/> under <paramref name="policy"/>.</summary>
    public static IReadOnlyList<CellAssessment> Assess(RecomputedTable table, Policy policy)
    {
        var rules = RuleSet.For(policy);
        double? attackerLower = !table.HasNegativeValues && table.Statistic.IsAdditive ? 0 : null;
        var result = new CellAssessment[table.Cells.Count];
        foreach (var cell in table.Cells)
        {
            var findings = new List<RuleFinding>();
            foreach (var rule in rules)
                if (rule.Evaluate(table, cell) is { } f) findings.Add(f);
            var status = findings.Aggregate(CheckStatus.Pass, (s, f) => s.Worst(f.Status));
            var suppressed = status == CheckStatus.Fail;
            double? lower = null, upper = null;
            if (suppressed)
            {
                var fallback = ThresholdRule.FrequencyProtection(cell.Evidence.Value, policy.Suppression);
                lower = findings.Where(f => f.Status == CheckStatus.Fail).Max(f => f.ProtectionLower ?? fallback);
                upper = findings.Where(f => f.Status == CheckStatus.Fail).Max(f => f.ProtectionUpper ?? fallback);
            }
            result[cell.Index] = new CellAssessment(cell, findings, status, suppressed, lower, upper, attackerLower, null);
        }
        return result;
    }
}
