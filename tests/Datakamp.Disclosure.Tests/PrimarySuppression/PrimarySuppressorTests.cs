using Datakamp.Disclosure.PrimarySuppression;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.PrimarySuppression;

public class PrimarySuppressorTests
{
    [Fact]
    public void Failing_cell_is_suppressed_with_the_largest_protection_asked()
    {
        // Region A: 12 units: 100, 50, then ten units of 0.5 -> X = 155.
        // threshold: n = 12 passes. dominance (1,50): 100 > 77.5 -> protection 100/50*100 - 155 = 45.
        // p%: remainder 5 < 10 -> protection 10 - 5 = 5. Largest: 45.
        var values = new double[] { 100, 50 }.Concat(Enumerable.Repeat(0.5, 10)).ToArray();
        var p = Policy();
        var t = Table(OneRegion(values), SpecYaml("sum"), p);
        var a = PrimarySuppressor.Assess(t, p).Single();
        Assert.True(a.PrimarySuppressed);
        Assert.Equal(CheckStatus.Fail, a.Status);
        Assert.Equal(45, a.ProtectionUpper!.Value, 9);
        Assert.Equal(45, a.ProtectionLower!.Value, 9);
        Assert.Equal(0, a.AttackerLowerBound);
        Assert.Contains(a.Findings, f => f.RuleId == "p_percent");
    }

    [Fact]
    public void Threshold_cell_gets_frequency_protection_of_at_least_one()
    {
        // count 3 < 10: protection max(10% of 3, 1) = 1
        var p = Policy();
        var t = Table(OneRegion(1, 1, 1), SpecYaml("count", value: null), p);
        var a = PrimarySuppressor.Assess(t, p).Single();
        Assert.Equal((true, 1.0), (a.PrimarySuppressed, a.ProtectionUpper!.Value));
    }

    [Fact]
    public void Review_only_cells_are_not_suppressed()
    {
        // 10 units of which one negative: negatives -> review; (1,50) on |x|: 10/100 fine.
        var p = Policy();
        var values = new double[] { -10 }.Concat(Enumerable.Repeat(10.0, 9)).ToArray();
        var t = Table(OneRegion(values), SpecYaml("sum"), p);
        var a = PrimarySuppressor.Assess(t, p).Single();
        Assert.Equal((CheckStatus.Review, false), (a.Status, a.PrimarySuppressed));
        Assert.Null(a.AttackerLowerBound); // negatives: 0 is no bound
    }

    [Fact]
    public void Safe_cell_passes()
    {
        var p = Policy();
        var t = Table(OneRegion(Enumerable.Repeat(10.0, 12).ToArray()), SpecYaml("sum"), p);
        var a = PrimarySuppressor.Assess(t, p).Single();
        Assert.Equal((CheckStatus.Pass, false), (a.Status, a.PrimarySuppressed));
        Assert.Empty(a.Findings);
    }
}
