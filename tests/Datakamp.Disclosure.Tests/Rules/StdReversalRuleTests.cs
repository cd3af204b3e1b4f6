using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.PrimarySuppression;
using Datakamp.Disclosure.Rules;
using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Rules;

/// <summary>
/// Issue 15 item 4: a std cell must not give away its largest contribution. The engine's std is the sample
/// std (divisor n − 1, ddof = 1, as pandas' default), computed on per-unit values.
/// </summary>
public class StdReversalRuleTests
{
    public static TheoryData<string> ShippedPolicies => new() { "cbs-persons", "cbs-businesses", "acro-default" };

    private static RecomputedTable StdTable(params double[] incomes) => Table(OneRegion(incomes), SpecYaml("std"));

    private static double[] OneAnd(double largest, int others, double each) =>
        [largest, .. Enumerable.Repeat(each, others)];

    [Theory]
    [MemberData(nameof(ShippedPolicies))]
    public void Ten_persons_with_one_dominant_income_std_times_root_n_is_within_half_a_percent_and_the_cell_fails(string policyName)
    {
        // One income 1,000,000 and nine of 1,000: X = 1,009,000, mean = 100,900.
        // Deviations 899,100 and nine of -99,900: SS = 808,380,810,000 + 9 * 9,980,010,000 = 898,200,900,000.
        // ddof 1: s^2 = SS / 9 = 99,800,100,000, s = 315,911.5...; s * sqrt(10) = sqrt(998,001,000,000) = 999,000,
        // 0.1% below 1,000,000 (the "within 0.5%").
        // Samuelson bound: mean + s * 9 / sqrt(10) = 100,900 + 0.9 * 999,000 = 1,000,000: the income itself.
        var policy = Policy(policyName);
        var t = Table(OneRegion(OneAnd(1_000_000, 9, 1_000)), SpecYaml("std"), policy);
        var cell = Cell(t, "A");
        var std = cell.Evidence.Value!.Value;
        Assert.Equal(Math.Sqrt(99_800_100_000), std, 6);
        Assert.Equal(999_000, std * Math.Sqrt(10), 4);
        Assert.True(Math.Abs(std * Math.Sqrt(10) - 1_000_000) < 0.005 * 1_000_000);

        var a = PrimarySuppressor.Assess(t, policy)[cell.Index];
        Assert.Equal(CheckStatus.Fail, a.Status);
        Assert.True(a.PrimarySuppressed);
        var f = Assert.Single(a.Findings, x => x.RuleId == "std_reversal");
        Assert.Equal(CheckStatus.Fail, f.Status);
        Assert.Equal(1_000_000, f.Numbers["bound"], 3);
        Assert.Equal(999_000, f.Numbers["std_times_sqrt_n"], 3);
        // Protection: p/100 * x1 - gap = 100,000 - 0, in value units, both directions.
        Assert.Equal(100_000, f.ProtectionLower!.Value, 3);
        Assert.Equal(100_000, f.ProtectionUpper!.Value, 3);
        Assert.StartsWith("With n = 10, the mean and this standard deviation, the largest unit value is bounded by mean + std·(n − 1)/√n = 1000000", f.Message);
        // A dominated std cell is caught by dominance and p% too, now that they run on std cells.
        Assert.Contains(a.Findings, x => x.RuleId == "dominance");
        Assert.Contains(a.Findings, x => x.RuleId == "p_percent");
    }

    [Theory]
    [MemberData(nameof(ShippedPolicies))]
    public void One_income_above_ninety_nine_equal_ones_is_pinned_although_dominance_and_p_percent_pass(string policyName)
    {
        // 1,000,000 and 99 of 20,000: X = 2,980,000, the largest holds 33.6% (top 2: 34.2%) and X - x1 - x2 = 1,960,000,
        // so dominance, p%, threshold (100) and degrees of freedom (99) all pass: today's engine passes this cell.
        // mean = 29,800; SS = 970,200^2 + 99 * 9,800^2 = 950,796,000,000; s^2 = SS / 99 = 9,604,000,000, s = 98,000.
        // Bound: 29,800 + 98,000 * 99 / 10 = 1,000,000: n, mean and std give the largest income exactly.
        var policy = Policy(policyName);
        var t = Table(OneRegion(OneAnd(1_000_000, 99, 20_000)), SpecYaml("std"), policy);
        var cell = Cell(t, "A");
        Assert.Equal(98_000, cell.Evidence.Value!.Value, 6);
        var a = PrimarySuppressor.Assess(t, policy)[cell.Index];
        Assert.Equal(["std_reversal"], a.Findings.Select(x => x.RuleId));
        Assert.Equal(CheckStatus.Fail, a.Status);
        Assert.Equal(100_000, a.ProtectionUpper!.Value, 3);
    }

    [Fact]
    public void Spread_incomes_are_not_pinned()
    {
        // 1..11: mean 6, s^2 = 11, bound = 6 + sqrt(11) * 10 / sqrt(11) = 16; |16 - 11| = 5 >= 10% of 11 -> safe.
        // (s * sqrt(11) = 11 happens to equal the largest value here, but an attacker cannot know that it is an estimate
        // worth anything: only the bound is knowledge, as X - x2 is in the p% rule.)
        var t = StdTable(Enumerable.Range(1, 11).Select(i => (double)i).ToArray());
        Assert.Null(new StdReversalRule(new StdReversalSettings(10, CheckStatus.Fail)).Evaluate(t, Cell(t, "A")));
    }

    [Fact]
    public void Equal_incomes_are_everyone_s_income_and_fail()
    {
        // std 0 with the mean known: every unit's value is the mean. Bound = mean = x1, gap 0 < 10% of 500.
        var t = StdTable(Enumerable.Repeat(500.0, 20).ToArray());
        var f = new StdReversalRule(new StdReversalSettings(10, CheckStatus.Fail)).Evaluate(t, Cell(t, "A"));
        Assert.Equal(50, f!.ProtectionUpper!.Value, 9);
    }

    [Fact]
    public void A_largest_negative_contribution_is_bounded_from_below()
    {
        // The mirror of the 100-person case: -1,000,000 and 99 of -20,000: mean - 98,000 * 9.9 = -1,000,000.
        var t = StdTable(OneAnd(-1_000_000, 99, -20_000));
        var f = new StdReversalRule(new StdReversalSettings(10, CheckStatus.Fail)).Evaluate(t, Cell(t, "A"));
        Assert.Equal((-1_000_000.0, -1_000_000.0), (f!.Numbers["x1"], Math.Round(f.Numbers["bound"], 3)));
        Assert.Contains("most negative", f.Message);
    }

    [Fact]
    public void Only_std_tables_are_judged()
    {
        var t = Table(OneRegion(OneAnd(1_000_000, 99, 20_000)), SpecYaml("mean"));
        Assert.Null(new StdReversalRule(new StdReversalSettings(10, CheckStatus.Fail)).Evaluate(t, Cell(t, "A")));
    }
}
