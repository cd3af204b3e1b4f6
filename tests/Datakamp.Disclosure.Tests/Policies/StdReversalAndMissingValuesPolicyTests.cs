using Datakamp.Disclosure.Policies;

namespace Datakamp.Disclosure.Tests.Policies;

/// <summary>The policy keys of issue 15 items 4 and 5: <c>std_reversal</c> and <c>missing_values.max_share_percent</c>.</summary>
public class StdReversalAndMissingValuesPolicyTests
{
    private const string Minimal = """
        name: t
        version: 1
        rules:
          threshold: { min_units: 5, status: fail }
        """;

    [Theory]
    [InlineData("cbs-persons", 20.0)]
    [InlineData("cbs-businesses", 20.0)]
    public void Cbs_policies_flag_a_cell_only_above_a_fifth_of_its_units_without_a_value(string name, double share)
    {
        var p = TestData.Policy(name);
        Assert.Equal(new MissingValuesSettings(share, CheckStatus.Review), p.MissingValues);
        Assert.Equal(new StdReversalSettings(10, CheckStatus.Fail), p.StdReversal);
    }

    [Fact]
    public void Acro_default_has_std_reversal_and_no_per_cell_missing_values_rule()
    {
        var p = TestData.Policy("acro-default");
        Assert.Equal(new StdReversalSettings(10, CheckStatus.Fail), p.StdReversal);
        Assert.Null(p.MissingValues);
    }

    [Fact]
    public void A_policy_that_leaves_std_reversal_out_still_gets_it_fail_closed()
    {
        Assert.Equal(new StdReversalSettings(10, CheckStatus.Fail), PolicyLoader.Parse(Minimal, "t.yaml").StdReversal);
        var withP = PolicyLoader.Parse(Minimal + "\n  p_percent: { p: 15, status: review }\n", "t.yaml");
        Assert.Equal(new StdReversalSettings(15, CheckStatus.Fail), withP.StdReversal);
    }

    [Fact]
    public void Missing_values_without_a_share_flags_every_cell_with_a_unit_without_a_value()
    {
        var p = PolicyLoader.Parse(Minimal + "\n  missing_values: { status: review }\n", "t.yaml");
        Assert.Equal(0, p.MissingValues!.MaxSharePercent);
    }

    [Theory]
    [InlineData("  missing_values: { max_share_percent: 101, status: review }", "'max_share_percent' must be between 0 and 100")]
    [InlineData("  missing_values: { max_share: 10, status: review }", "unknown key 'max_share'")]
    [InlineData("  std_reversal: { status: fail }", "missing required key 'p'")]
    public void Bad_values_are_rejected(string line, string expected)
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse(Minimal + "\n" + line + "\n", "p.yaml"));
        Assert.Contains(expected, e.Message);
    }
}
