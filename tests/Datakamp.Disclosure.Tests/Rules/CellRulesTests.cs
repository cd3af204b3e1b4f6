using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Rules;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Rules;

public class GroupDisclosureRuleTests
{
    [Fact]
    public void Row_where_everyone_has_one_category_is_flagged()
    {
        // region A: 3 units, all kind x (A,y = 0) -> everyone in A is known to be x.
        // region B: spread over x and y -> no finding.
        var csv = "id,region,kind\n1,A,x\n2,A,x\n3,A,x\n4,B,x\n5,B,y\n";
        var t = Table(csv, SpecYaml("count", cols: "[kind]", value: null, margins: true));
        var rule = new GroupDisclosureRule(new StatusSettings(CheckStatus.Review));
        var f = rule.Evaluate(t, Cell(t, "A", "x"));
        Assert.Equal(CheckStatus.Review, f!.Status);
        Assert.Contains("kind = 'x'", f.Message);
        Assert.Null(rule.Evaluate(t, Cell(t, "B", "x")));
        Assert.Null(rule.Evaluate(t, Cell(t, "A", "y")));   // the zero itself is for the zero-cell rule
        // column y: only B has units -> kind y group is all in region B.
        Assert.NotNull(rule.Evaluate(t, Cell(t, "B", "y")));
    }
}

public class ZeroCellRuleTests
{
    [Fact]
    public void Zero_in_frequency_table_is_a_finding_and_so_is_an_empty_magnitude_cell()
    {
        var csv = "id,region,kind,income\n1,A,x,1\n2,B,y,1\n";
        var rule = new ZeroCellRule(new StatusSettings(CheckStatus.Fail));
        var counts = Table(csv, SpecYaml("count", cols: "[kind]", value: null));
        Assert.Equal(CheckStatus.Fail, rule.Evaluate(counts, Cell(counts, "A", "y"))!.Status);
        Assert.Null(rule.Evaluate(counts, Cell(counts, "A", "x")));
        var sums = Table(csv, SpecYaml("sum", cols: "[kind]"));
        Assert.NotNull(rule.Evaluate(sums, Cell(sums, "A", "y")));   // as ACRO (see EmptyMagnitudeCellTests)
        Assert.Null(rule.Evaluate(sums, Cell(sums, "A", "x")));
    }
}

public class NegativeValuesRuleTests
{
    [Fact]
    public void Only_the_cell_with_negatives_is_marked()
    {
        var t = Table(Csv(("1", "A", "-5"), ("2", "A", "10"), ("3", "B", "10")), SpecYaml("sum"));
        var rule = new NegativeValuesRule(new StatusSettings(CheckStatus.Review));
        Assert.Equal(1, rule.Evaluate(t, Cell(t, "A"))!.Numbers["negatives"]);
        Assert.Null(rule.Evaluate(t, Cell(t, "B")));
    }
}

public class MissingValuesRuleTests
{
    [Fact]
    public void Units_without_a_value_are_reported_with_a_zero_share_limit()
    {
        // max_share_percent 0 (the key left out) flags any unit without a value, as the rule did before the limit.
        var t = Table(Csv(("1", "A", ""), ("2", "A", "10")), SpecYaml("sum"));
        var f = new MissingValuesRule(new MissingValuesSettings(0, CheckStatus.Review)).Evaluate(t, Cell(t, "A"));
        Assert.Equal((1.0, 2.0, 1.0), (f!.Numbers["units_without_value"], f.Numbers["units"], f.Numbers["missing_rows"]));
    }
}

public class StatisticRulesTests
{
    [Fact]
    public void Min_and_max_fail_unless_the_policy_allows_them()
    {
        var t = Table(OneRegion(Enumerable.Range(1, 20).Select(i => (double)i).ToArray()), SpecYaml("max"));
        var strict = new StatisticAllowedRule(Policy().Statistics);
        Assert.Equal(CheckStatus.Fail, strict.Evaluate(t, Cell(t, "A"))!.Status);
        var lenient = new StatisticAllowedRule(new StatisticSettings(new HashSet<string> { "max" }, CheckStatus.Fail));
        Assert.Null(lenient.Evaluate(t, Cell(t, "A")));
    }

    [Fact]
    public void Median_and_percentiles_are_marked_for_review()
    {
        var t = Table(OneRegion(Enumerable.Range(1, 20).Select(i => (double)i).ToArray()), SpecYaml("p90"));
        Assert.Equal(CheckStatus.Review, new PercentileRule(new StatusSettings(CheckStatus.Review)).Evaluate(t, Cell(t, "A"))!.Status);
    }

    [Fact]
    public void Std_needs_n_minus_one_degrees_of_freedom()
    {
        var rule = new StdDegreesOfFreedomRule(new StdSettings(10, CheckStatus.Fail));
        // 10 units: n - 1 = 9 < 10 -> unsafe; 11 units: 10 >= 10 -> fine.
        var ten = Table(OneRegion(Enumerable.Range(1, 10).Select(i => (double)i).ToArray()), SpecYaml("std"));
        Assert.Equal(9, rule.Evaluate(ten, Cell(ten, "A"))!.Numbers["degrees_of_freedom"]);
        var eleven = Table(OneRegion(Enumerable.Range(1, 11).Select(i => (double)i).ToArray()), SpecYaml("std"));
        Assert.Null(rule.Evaluate(eleven, Cell(eleven, "A")));
    }

    [Fact]
    public void Cell_that_overflows_cannot_pass()
    {
        // 1e308 + 1e308 = +Infinity: not evaluable -> fail closed.
        var t = Table(OneRegion(1e308, 1e308), SpecYaml("sum"));
        Assert.Equal(CheckStatus.Fail, new EvaluableRule().Evaluate(t, Cell(t, "A"))!.Status);
    }
}
