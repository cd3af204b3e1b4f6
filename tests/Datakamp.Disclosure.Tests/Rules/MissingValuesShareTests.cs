using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Rules;
using Datakamp.Disclosure.Verdicts;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Rules;

/// <summary>
/// Issue 15 item 5: units without a value are counted once per table; a cell is flagged only when their share
/// exceeds the policy's <c>max_share_percent</c> (20% in cbs-persons and cbs-businesses).
/// </summary>
public class MissingValuesShareTests
{
    private static readonly MissingValuesRule Rule = new(Policy().MissingValues!);

    [Fact]
    public void Three_of_five_units_without_a_value_are_flagged()
    {
        // 3 / 5 = 60% > 20%.
        var t = Table(Csv(("1", "A", ""), ("2", "A", ""), ("3", "A", ""), ("4", "A", "10"), ("5", "A", "20")), SpecYaml("sum"));
        var f = Rule.Evaluate(t, Cell(t, "A"));
        Assert.Equal(CheckStatus.Review, f!.Status);
        Assert.Equal((3.0, 5.0, 60.0, 20.0), (f.Numbers["units_without_value"], f.Numbers["units"], f.Numbers["share_percent"], f.Numbers["max_share_percent"]));
        Assert.Equal("3 of 5 units (60%) in this cell have no value, more than the policy's 20%; the statistic describes only 2 units.", f.Message);
    }

    [Fact]
    public void A_share_at_the_limit_is_not_flagged_and_one_above_is()
    {
        // 1 of 5 = 20%: not more than 20%. 2 of 9 = 22.2%: more.
        var atLimit = Table(Csv(("1", "A", ""), ("2", "A", "1"), ("3", "A", "1"), ("4", "A", "1"), ("5", "A", "1")), SpecYaml("sum"));
        Assert.Null(Rule.Evaluate(atLimit, Cell(atLimit, "A")));
        var above = Table(OneRegion(1, 1, 1, 1, 1, 1, 1) + "8,A,\n9,A,\n", SpecYaml("sum"));
        Assert.Equal(2, Rule.Evaluate(above, Cell(above, "A"))!.Numbers["units_without_value"]);
    }

    [Fact]
    public void A_unit_with_one_empty_row_and_a_value_in_another_has_a_value()
    {
        // Unit 1 has rows "" and 10: it contributes 10, so no unit of the cell is without a value.
        var t = Table(Csv(("1", "A", ""), ("1", "A", "10")), SpecYaml("sum"));
        Assert.Null(new MissingValuesRule(new MissingValuesSettings(0, CheckStatus.Review)).Evaluate(t, Cell(t, "A")));
        Assert.Equal(1, Cell(t, "A").Evidence.MissingValueRows);
    }

    [Fact]
    public void One_of_a_hundred_units_without_a_value_is_one_note_for_the_table_and_no_cell_finding()
    {
        // Regions A and B, 50 persons each; person 100 (in B) has no income. B: 1 of 50 = 2%, Total: 1 of 100 = 1%,
        // both at most 20%: no cell finding. The table: "1 of 100 units (1%) without a value".
        var csv = "id,region,income\n" + string.Concat(Enumerable.Range(1, 100).Select(i =>
            $"{i},{(i <= 50 ? "A" : "B")},{(i == 100 ? "" : (i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture))}\n"));
        var t = Table(csv, SpecYaml("sum", margins: true));
        Assert.All(t.Cells, c => Assert.Null(Rule.Evaluate(t, c)));
        var summary = MissingValuesSummary.Of(t)!;
        Assert.Equal((1L, 100L, 1.0, 1L), (summary.UnitsWithoutValue, summary.Units, summary.SharePercent, summary.RowsWithoutValue));
        Assert.Equal("1 of 100 units (1%) without a value in income; it is left out of the statistic.", summary.Message);
    }

    [Fact]
    public void Without_margins_the_table_count_adds_the_inner_cells()
    {
        // A: 2 units, 1 without; B: 2 units, 2 without -> 3 of 4 units (75%).
        var t = Table(Csv(("1", "A", ""), ("2", "A", "5"), ("3", "B", ""), ("4", "B", "")), SpecYaml("mean"));
        var summary = MissingValuesSummary.Of(t)!;
        Assert.Equal("3 of 4 units (75%) without a value in income; they are left out of the statistic.", summary.Message);
    }

    [Fact]
    public void A_frequency_table_has_no_value_column_and_no_summary()
    {
        var t = Table(Csv(("1", "A", ""), ("2", "A", "5")), SpecYaml("count", value: null));
        Assert.Null(MissingValuesSummary.Of(t));
    }
}
