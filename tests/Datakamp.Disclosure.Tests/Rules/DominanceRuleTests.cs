using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Rules;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Rules;

public class DominanceRuleTests
{
    private static RuleFinding? Eval(DominanceSettings s, string statistic, params double[] values)
    {
        var t = Table(OneRegion(values), SpecYaml(statistic));
        return new DominanceRule(s).Evaluate(t, Cell(t, "A"));
    }

    private static readonly DominanceSettings OneFifty = new(1, 50, CheckStatus.Fail);

    [Fact]
    public void Largest_unit_above_half_fails_with_protection()
    {
        // x1 = 60, X = 60 + 4*10 = 100: 60 > 0.5*100 -> unsafe.
        // protection = 100/50 * 60 - 100 = 20
        var f = Eval(OneFifty, "sum", 60, 10, 10, 10, 10);
        Assert.Equal(CheckStatus.Fail, f!.Status);
        Assert.Equal(60, f.Numbers["share_percent"], 9);
        Assert.Equal(20, f.ProtectionUpper!.Value, 9);
    }

    [Fact]
    public void Exactly_k_percent_passes_because_the_comparison_is_strict()
    {
        // x1 = 50, X = 100: 50 > 50 is false.
        Assert.Null(Eval(OneFifty, "sum", 50, 25, 25));
    }

    [Fact]
    public void Mean_inherits_dominance_of_its_sum()
    {
        Assert.NotNull(Eval(OneFifty, "mean", 60, 10, 10, 10, 10));
    }

    [Fact]
    public void Two_largest_over_ninety_percent()
    {
        // (2,90): x1 + x2 = 50 + 45 = 95, X = 100 -> 95 > 90 unsafe.
        var f = Eval(new DominanceSettings(2, 90, CheckStatus.Fail), "sum", 50, 45, 1, 1, 1, 1, 1);
        Assert.Equal(95, f!.Numbers["top_n_sum"]);
        // protection = 100/90 * 95 - 100 = 5.5556
        Assert.Equal(100.0 / 90 * 95 - 100, f.ProtectionLower!.Value, 9);
    }

    [Fact]
    public void Negatives_use_absolute_contributions_for_that_cell()
    {
        // values -80, 10, 10, 10, 10: plain sum = -40 (nothing to dominate),
        // absolute: x1 = 80, X = 120 -> 80/120 = 66.7% > 50% unsafe.
        var f = Eval(OneFifty, "sum", -80, 10, 10, 10, 10);
        Assert.Equal(120, f!.Numbers["total"]);
        Assert.Contains("absolute values", f.Message);
    }

    [Fact]
    public void Does_not_apply_to_counts_or_percentiles()
    {
        Assert.Null(Eval(OneFifty, "median", 60, 10, 10, 10, 10));
    }

    private static readonly DominanceSettings AcroTwoNinety = new(2, 90, CheckStatus.Fail, UnsafeAtK: true);

    [Fact]
    public void With_unsafe_at_k_a_top_two_share_of_exactly_ninety_percent_fails_with_zero_protection()
    {
        // (2,90) inclusive: x1 + x2 = 45 + 45 = 90, X = 90 + 10 * 1 = 100 -> 90 >= 0.9 * 100 unsafe (ACRO 1.0.1).
        // protection = 100/90 * 90 - 100 = 0 (the suppression step then uses the minimum protection).
        var f = Eval(AcroTwoNinety, "sum", 45, 45, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.Equal(CheckStatus.Fail, f!.Status);
        Assert.Equal(90, f.Numbers["share_percent"], 9);
        Assert.Equal(0, f.ProtectionUpper!.Value, 9);
        Assert.Contains("at least 90%", f.Message);
    }

    [Fact]
    public void With_unsafe_at_k_a_top_two_share_of_89_99_percent_passes()
    {
        // x1 + x2 = 45 + 44.99 = 89.99, X = 89.99 + 10 * 1.001 = 100 -> 89.99 < 90 safe.
        Assert.Null(Eval(AcroTwoNinety, "sum", 45, 44.99, 1.001, 1.001, 1.001, 1.001, 1.001, 1.001, 1.001, 1.001, 1.001, 1.001));
    }

    [Fact]
    public void Without_unsafe_at_k_a_top_two_share_of_exactly_ninety_percent_passes()
    {
        // The same cell under a strict (2,90) rule: 90 > 90 is false.
        Assert.Null(Eval(new DominanceSettings(2, 90, CheckStatus.Fail), "sum", 45, 45, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));
    }
}
