using Datakamp.Disclosure.Rules;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Rules;

public class ThresholdRuleTests
{
    private static RuleFinding? Eval(string csv, string spec, string region = "A")
    {
        var p = Policy();
        var t = Table(csv, spec, p);
        return new ThresholdRule(p.Threshold, p.Suppression).Evaluate(t, Cell(t, region));
    }

    [Fact]
    public void Nine_units_fail_ten_pass()
    {
        // N = 10: 0 < 9 < 10 unsafe; 10 is not < 10.
        var nine = Eval(OneRegion(Enumerable.Repeat(1.0, 9).ToArray()), SpecYaml("count", value: null));
        Assert.Equal(CheckStatus.Fail, nine!.Status);
        Assert.Equal(9, nine.Numbers["n"]);
        Assert.Null(Eval(OneRegion(Enumerable.Repeat(1.0, 10).ToArray()), SpecYaml("count", value: null)));
    }

    [Fact]
    public void Ten_rows_of_five_units_are_five_units()
    {
        var csv = Csv(Enumerable.Range(0, 10).Select(i => ((i % 5).ToString(System.Globalization.CultureInfo.InvariantCulture), "A", "1")).ToArray());
        Assert.Equal(5, Eval(csv, SpecYaml("count", value: null))!.Numbers["n"]);
    }

    [Fact]
    public void Empty_cell_is_not_a_threshold_finding()
    {
        // region B has no units of kind y: n = 0 is left to the zero and group rules.
        var csv = "id,region,kind\n1,A,x\n2,B,x\n3,A,y\n";
        var p = Policy();
        var t = Table(csv, SpecYaml("count", cols: "[kind]", value: null), p);
        Assert.Null(new ThresholdRule(p.Threshold, p.Suppression).Evaluate(t, Cell(t, "B", "y")));
    }

    [Fact]
    public void Mean_of_seven_incomes_in_a_cell_of_thirteen_people_has_n_seven()
    {
        var incomes = Enumerable.Range(0, 13).Select(i => i < 7 ? "100" : "").ToArray();
        var csv = Csv(incomes.Select((v, i) => ((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "A", v)).ToArray());
        var f = Eval(csv, SpecYaml("mean"));
        Assert.Equal(7, f!.Numbers["n"]);
        // protection: max(10% of the mean 100, 1) = 10
        Assert.Equal(10, f.ProtectionUpper);
    }
}
