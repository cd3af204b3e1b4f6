using Datakamp.Disclosure.Policies;

namespace Datakamp.Disclosure.Tests.Policies;

public class PolicyLoaderTests
{
    private const string Minimal = """
        name: t
        version: 2
        rules:
          threshold: { min_units: 5, status: fail }
        """;

    [Fact]
    public void Every_shipped_policy_parses()
    {
        var all = PolicyLoader.LoadDirectory(TestData.PoliciesDirectory);
        Assert.Contains("cbs-persons", all.Keys);
        Assert.Contains("cbs-businesses", all.Keys);
        Assert.Contains("acro-default", all.Keys);
    }

    [Fact]
    public void Cbs_persons_has_the_documented_parameters()
    {
        var p = TestData.Policy("cbs-persons");
        Assert.Equal(10, p.Threshold.MinUnits);
        Assert.Equal((1, 50.0), (p.Dominance!.N, p.Dominance.KPercent));
        Assert.False(p.Dominance.UnsafeAtK);   // strictly more than 50%
        Assert.Equal(10, p.PPercent!.P);
        Assert.False(p.Statistics.Allowed.Contains("min"));
        Assert.Equal(1_000_000, p.Limits.MaxTableCells);
    }

    [Fact]
    public void Acro_default_reproduces_acro_defaults()
    {
        var p = TestData.Policy("acro-default");
        Assert.Equal(10, p.Threshold.MinUnits);
        Assert.Equal((2, 90.0), (p.Dominance!.N, p.Dominance.KPercent));
        Assert.True(p.Dominance.UnsafeAtK);   // ACRO 1.0.1: exactly 90% fails
        Assert.Equal(10, p.PPercent!.P);
        Assert.Equal(CheckStatus.Fail, p.ZeroCells!.Status);
        Assert.Equal(10, p.Std!.DegreesOfFreedom);
    }

    [Fact]
    public void A_minimal_policy_gets_safe_defaults()
    {
        var p = PolicyLoader.Parse(Minimal, "t.yaml");
        Assert.Equal(2, p.Version);
        Assert.Null(p.Dominance);
        Assert.Equal(1_000_000, p.Limits.MaxTableCells);
        Assert.Equal([".csv"], p.Limits.AllowedExtensions);
    }

    [Fact]
    public void Unknown_top_level_key_is_rejected_with_its_line()
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse(Minimal + "\ntreshold: 3\n", "p.yaml"));
        Assert.StartsWith("p.yaml:5: unknown key 'treshold'", e.Message);
    }

    [Fact]
    public void Unknown_rule_is_rejected_with_its_line()
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse(Minimal + "\n  magic: { status: fail }\n", "p.yaml"));
        Assert.StartsWith("p.yaml:5: unknown rule 'magic'", e.Message);
    }

    [Fact]
    public void Unknown_key_inside_a_rule_is_rejected()
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse(
            "name: t\nversion: 1\nrules:\n  threshold:\n    min_units: 5\n    status: fail\n    extra: 1\n", "p.yaml"));
        Assert.StartsWith("p.yaml:7: unknown key 'extra'", e.Message);
    }

    [Fact]
    public void Malformed_yaml_is_rejected_with_line_and_no_stack_trace()
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse("name: t\nversion: 1\nrules: [\n  threshold: {\n", "p.yaml"));
        Assert.StartsWith("p.yaml:", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.DoesNotContain(" at ", e.Message.Split(':').Last());
    }

    [Fact]
    public void Wrong_status_word_is_rejected()
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse(Minimal.Replace("status: fail", "status: warn"), "p.yaml"));
        Assert.Contains("'status' must be 'fail' or 'review', not 'warn'", e.Message);
        Assert.StartsWith("p.yaml:4:", e.Message);
    }

    [Fact]
    public void Threshold_is_mandatory()
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse("name: t\nversion: 1\nrules:\n  p_percent: { p: 10, status: fail }\n", "p.yaml"));
        Assert.Contains("'threshold' is required", e.Message);
    }

    [Fact]
    public void Out_of_range_parameter_is_rejected()
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse(Minimal + "\n  dominance: { n: 1, k_percent: 150, status: fail }\n", "p.yaml"));
        Assert.Contains("'k_percent' must be between", e.Message);
    }

    [Fact]
    public void Unknown_statistic_in_allowed_list_is_rejected()
    {
        var e = Assert.Throws<DisclosureInputException>(() => PolicyLoader.Parse(Minimal + "\nstatistics:\n  allowed: [count, mode]\n", "p.yaml"));
        Assert.Contains("unknown statistic 'mode'", e.Message);
    }
}
