using Datakamp.Disclosure.PrimarySuppression;
using Datakamp.Disclosure.Rules;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Rules;

/// <summary>Empty cells: flagged by policies with <c>zero_cells</c> (acro-default), in frequency and magnitude tables alike.</summary>
public class EmptyMagnitudeCellTests
{
    // region x kind: (A, x) has 10 persons with income, (A, y) 10 persons without an income, (B, x) 10 with, (B, y) none.
    private static readonly string Data = "id,region,kind,income\n" + string.Concat(Enumerable.Range(0, 30).Select(i =>
        i < 10 ? $"{i},A,x,100\n" : i < 20 ? $"{i},A,y,\n" : $"{i},B,x,200\n"));

    private static readonly ZeroCellRule Rule = new(new(CheckStatus.Fail));

    [Fact]
    public void An_empty_cell_of_a_sum_table_is_a_finding()
    {
        var t = Table(Data, SpecYaml("sum", cols: "[kind]"));
        var f = Rule.Evaluate(t, Cell(t, "B", "y"));
        Assert.Equal(CheckStatus.Fail, f!.Status);
        Assert.Contains("magnitude table has no unit with a value", f.Message);
        Assert.Null(Rule.Evaluate(t, Cell(t, "A", "x")));
    }

    [Fact]
    public void A_magnitude_cell_whose_units_all_lack_a_value_is_empty_too()
    {
        // (A, y): 10 persons, none with an income: the sum has no contributor, as ACRO's vals.count() = 0.
        var t = Table(Data, SpecYaml("sum", cols: "[kind]"));
        Assert.NotNull(Rule.Evaluate(t, Cell(t, "A", "y")));
    }

    [Fact]
    public void A_zero_in_a_count_table_is_a_finding_and_a_filled_cell_is_not()
    {
        var t = Table(Data, SpecYaml("count", cols: "[kind]", value: null));
        Assert.Contains("frequency table is zero", Rule.Evaluate(t, Cell(t, "B", "y"))!.Message);
        Assert.Null(Rule.Evaluate(t, Cell(t, "A", "y")));   // 10 persons counted, income or not
    }

    [Fact]
    public void Under_cbs_persons_an_empty_magnitude_cell_is_not_flagged_as_a_zero()
    {
        // cbs-persons has no zero_cells rule: an empty cell reveals no one's value (see policies/README.md).
        var policy = Policy("cbs-persons");
        var t = Table(Data, SpecYaml("sum", cols: "[kind]"), policy);
        var empty = PrimarySuppressor.Assess(t, policy)[Cell(t, "B", "y").Index];
        Assert.DoesNotContain(empty.Findings, f => f.RuleId == "zero_cells");
    }
}
