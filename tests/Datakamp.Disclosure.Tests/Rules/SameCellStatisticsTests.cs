using Datakamp.Disclosure.Rules;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Rules;

/// <summary>
/// Issue 15 item 4: a mean or std table of a cell gets the same dominance and p% findings as the sum table of
/// that cell, because all three are judged on the same per-unit contributions.
/// </summary>
public class SameCellStatisticsTests
{
    // x1 = 100, x2 = 50, rest 5 + 4: X = 159 (hand-computed below).
    private static readonly double[] Incomes = [100, 50, 5, 4];

    private static RuleFinding? Evaluate(IDisclosureRule rule, string statistic)
    {
        var t = Table(OneRegion(Incomes), SpecYaml(statistic));
        return rule.Evaluate(t, Cell(t, "A"));
    }

    // The finding on the mean or std table must be the sum table's: same status, text, numbers and protection.
    private static RuleFinding SameAsSum(IDisclosureRule rule, string statistic)
    {
        var sum = Evaluate(rule, "sum")!;
        var other = Evaluate(rule, statistic)!;
        Assert.Equal((sum.Status, sum.Message, sum.ProtectionLower, sum.ProtectionUpper), (other.Status, other.Message, other.ProtectionLower, other.ProtectionUpper));
        Assert.Equal(sum.Numbers, other.Numbers);
        return other;
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("std")]
    public void Dominance_finding_equals_the_sum_table_s(string statistic)
    {
        // cbs-persons (1, 50%): 100 / 159 = 62.89% > 50%; protection 100/50 * 100 - 159 = 41.
        var f = SameAsSum(new DominanceRule(Policy().Dominance!), statistic);
        Assert.Equal(100.0 / 159 * 100, f.Numbers["share_percent"], 9);
        Assert.Equal(41, f.ProtectionUpper!.Value, 9);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("std")]
    public void P_percent_finding_equals_the_sum_table_s(string statistic)
    {
        // p = 10: X - x1 - x2 = 9 < 10% of 100 = 10; protection 10 - 9 = 1.
        var f = SameAsSum(new PPercentRule(Policy().PPercent!), statistic);
        Assert.Equal(9, f.Numbers["remainder"], 9);
        Assert.Equal(1, f.ProtectionUpper!.Value, 9);
    }

    [Theory]
    [InlineData("acro-default")]
    [InlineData("cbs-businesses")]
    public void Every_shipped_policy_judges_a_std_cell_like_its_sum_cell(string policyName)
    {
        // acro (2, 90%): 150 / 159 = 94.3% >= 90%; cbs (1, 50%): 62.9% > 50%.
        var policy = Policy(policyName);
        SameAsSum(new DominanceRule(policy.Dominance!), "std");
        SameAsSum(new DominanceRule(policy.Dominance!), "mean");
        SameAsSum(new PPercentRule(policy.PPercent!), "std");
    }
}
