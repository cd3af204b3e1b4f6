using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Rules;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Rules;

public class PPercentRuleTests
{
    private static readonly PPercentSettings Ten = new(10, CheckStatus.Fail);

    private static RuleFinding? Eval(params double[] values)
    {
        var t = Table(OneRegion(values), SpecYaml("sum"));
        return new PPercentRule(Ten).Evaluate(t, Cell(t, "A"));
    }

    [Fact]
    public void Remainder_below_p_percent_of_largest_fails_with_protection()
    {
        // x1 = 100, x2 = 50, rest = 5 + 4 = 9, X = 159: 159 - 100 - 50 = 9 < 0.10 * 100 = 10 -> unsafe.
        // protection = 10 - 9 = 1
        var f = Eval(100, 50, 5, 4);
        Assert.Equal(CheckStatus.Fail, f!.Status);
        Assert.Equal(9, f.Numbers["remainder"], 9);
        Assert.Equal(1, f.ProtectionUpper!.Value, 9);
        Assert.Equal(1, f.ProtectionLower!.Value, 9);
    }

    [Fact]
    public void Remainder_equal_to_p_percent_passes()
    {
        // rest = 10: 10 < 10 is false.
        Assert.Null(Eval(100, 50, 6, 4));
    }

    [Fact]
    public void Single_contributor_fails()
    {
        // X - x1 - x2 = 100 - 100 - 0 = 0 < 10
        Assert.Equal(10, Eval(100)!.ProtectionUpper!.Value, 9);
    }

    [Fact]
    public void Rows_of_one_unit_are_summed_before_ranking()
    {
        // unit 1: 60 + 40 = 100, unit 2: 50, unit 3: 9 -> same as 100, 50, 9: remainder 9 < 10.
        var t = Table(Csv(("1", "A", "60"), ("1", "A", "40"), ("2", "A", "50"), ("3", "A", "9")), SpecYaml("sum"));
        var f = new PPercentRule(Ten).Evaluate(t, Cell(t, "A"));
        Assert.Equal(100, f!.Numbers["x1"]);
    }

    [Fact]
    public void All_zero_cell_has_nothing_to_disclose()
    {
        Assert.Null(Eval(0, 0, 0));
    }
}
