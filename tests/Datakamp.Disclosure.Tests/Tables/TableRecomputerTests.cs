using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Tables;

public class TableRecomputerTests
{
    [Fact]
    public void Several_rows_of_one_unit_are_one_contributor()
    {
        // unit 1 has rows 100 and 50 -> one contribution of 150; unit 2 has 30.
        var t = Table(Csv(("1", "A", "100"), ("1", "A", "50"), ("2", "A", "30")), SpecYaml("sum"));
        var e = Cell(t, "A").Evidence;
        Assert.Equal(2, e.Units);
        Assert.Equal(3, e.Rows);
        Assert.Equal(180, e.Value);
        Assert.Equal([150.0, 30.0], e.TopContributions);
    }

    [Fact]
    public void Margins_cover_every_combination_and_count_a_unit_once()
    {
        // unit 1 in (A,x) and (B,x); unit 2 in (A,y). Region Total for x: unit 1 once with 10+20 = 30.
        var csv = "id,region,kind,income\n1,A,x,10\n1,B,x,20\n2,A,y,5\n";
        var t = Table(csv, SpecYaml("sum", cols: "[kind]", margins: true));
        Assert.Equal(9, t.Cells.Count); // (2 regions + Total) x (2 kinds + Total)
        var totalX = Cell(t, "Total", "x").Evidence;
        Assert.Equal((1, 30.0), (totalX.Units, totalX.Value!.Value));
        Assert.Equal([30.0], totalX.TopContributions);
        var grand = Cell(t, "Total", "Total").Evidence;
        Assert.Equal((2, 35.0), (grand.Units, grand.Value!.Value));
        Assert.Equal(0, Cell(t, "B", "y").Evidence.Units);
        // one relation per Total coordinate: 3 cells with region=Total + 3 with kind=Total
        Assert.Equal(6, t.AdditiveRelations().Count());
    }

    [Fact]
    public void The_largest_contributor_of_every_cell_and_margin_is_named_by_its_unit_ties_to_the_unit_seen_first()
    {
        // unit 1: (A,x) 10 and (B,x) 20; unit 2: (A,y) 5; unit 3: (A,x) 10 and (B,y) 40.
        // (A,x): units 1 and 3 both 10, a tie: unit 1, seen first. (Total,x): unit 1 with 30. (A,Total): 1 and 3 with
        // 10 each: unit 1. (B,Total), (Total,y) and the grand total: unit 3 (40, 40, 50).
        var csv = "id,region,kind,income\n1,A,x,10\n1,B,x,20\n2,A,y,5\n3,A,x,10\n3,B,y,40\n";
        var t = Table(csv, SpecYaml("sum", cols: "[kind]", margins: true));
        int Largest(params string[] labels) => Cell(t, labels).Evidence.LargestUnit;
        var (one, two, three) = (Largest("B", "x"), Largest("A", "y"), Largest("B", "y"));
        Assert.Equal(3, new[] { one, two, three }.Distinct().Count(c => c >= 0));
        Assert.Equal([one, one, one], [Largest("A", "x"), Largest("Total", "x"), Largest("A", "Total")]);
        Assert.Equal([three, three, three], [Largest("B", "Total"), Largest("Total", "y"), Largest("Total", "Total")]);
    }

    [Fact]
    public void Three_dimensional_table_with_margins_has_all_total_combinations()
    {
        var csv = "id,region,kind,sex,income\n1,A,x,m,1\n2,B,y,f,2\n";
        var t = Table(csv, SpecYaml("count", rows: "[region]", cols: "[kind]", value: null, margins: true) + "layers: [sex]\n");
        Assert.Equal(27, t.Cells.Count);
        Assert.Equal(2, Cell(t, "Total", "Total", "Total").Evidence.Value);
        Assert.Equal(1, Cell(t, "A", "Total", "m").Evidence.Value);
    }

    [Theory]
    // incomes 10, 20, 30, 40 (four units)
    [InlineData("count", 4)]
    [InlineData("sum", 100)]              // 10+20+30+40
    [InlineData("mean", 25)]              // 100/4
    [InlineData("median", 25)]            // h = 3*0.5 = 1.5 -> 20 + 0.5*(30-20)
    [InlineData("p90", 37)]               // h = 3*0.9 = 2.7 -> 30 + 0.7*(40-30)
    [InlineData("p10", 13)]               // h = 0.3 -> 10 + 0.3*10
    [InlineData("min", 10)]
    [InlineData("max", 40)]
    [InlineData("std", 12.909944487358056)] // sqrt((225+25+25+225)/3) = sqrt(166.67)
    public void Every_statistic_is_recomputed_exactly(string statistic, double expected)
    {
        var t = Table(OneRegion(10, 20, 30, 40), SpecYaml(statistic, value: statistic == "count" ? null : "income"));
        Assert.Equal(expected, Cell(t, "A").Evidence.Value!.Value, 9);
    }

    [Fact]
    public void Weighted_outputs_keep_unweighted_unit_counts()
    {
        // weights 2 and 3, values 10 and 20: count 5, sum 2*10+3*20 = 80, mean 80/5 = 16; n stays 2.
        var csv = "id,region,income,w\n1,A,10,2\n2,A,20,3\n";
        Assert.Equal(5, Cell(Table(csv, SpecYaml("count", value: null, weight: "w")), "A").Evidence.Value);
        Assert.Equal(80, Cell(Table(csv, SpecYaml("sum", weight: "w")), "A").Evidence.Value);
        var mean = Cell(Table(csv, SpecYaml("mean", weight: "w")), "A").Evidence;
        Assert.Equal((16.0, 2), (mean.Value!.Value, mean.UnitsWithValue));
    }

    [Fact]
    public void A_unit_with_two_weights_is_refused()
    {
        var e = Assert.Throws<DisclosureInputException>(() => Table("id,region,income,w\n1,A,10,2\n1,A,20,3\n", SpecYaml("sum", weight: "w")));
        Assert.Equal("data.csv:3: unit '1' has a different weight than on an earlier row; a unit must have one weight", e.Message);
    }

    [Fact]
    public void Missing_values_are_counted_and_left_out_of_n()
    {
        var t = Table(Csv(("1", "A", "10"), ("2", "A", ""), ("3", "A", "20")), SpecYaml("mean"));
        var e = Cell(t, "A").Evidence;
        Assert.Equal((3, 2, 1L, 15.0), (e.Units, e.UnitsWithValue, e.MissingValueRows, e.Value!.Value));
    }

    [Fact]
    public void Rows_with_an_empty_category_are_in_no_cell_and_reported()
    {
        var t = Table(Csv(("1", "A", "10"), ("2", "", "20")), SpecYaml("sum"));
        Assert.Equal(1, t.RowsWithMissingCategory);
        Assert.Single(t.Dimensions[0].Categories);
    }

    [Fact]
    public void Rows_with_an_empty_category_are_a_last_category_of_the_unpublished_table_over_all_rows()
    {
        var t = Table(Csv(("1", "2", "10"), ("2", "", "20"), ("3", "10", "30"), ("4", "", "5")), SpecYaml("sum", margins: true));
        // Published: numeric order, margins over the known categories only (what a crosstab with margins shows).
        Assert.Equal(["2", "10"], t.Dimensions[0].Categories);
        Assert.Equal((2L, 2L), (t.RowsUsed, t.RowsWithMissingCategory));
        Assert.Equal(40, Cell(t, "Total").Evidence.Value);
        // For secondary suppression: the empty value is a category of its own, last, and the total counts everyone.
        var all = t.WithMissingCategory!;
        Assert.Equal(["2", "10", ""], all.Dimensions[0].Categories);
        Assert.Equal(25, Cell(all, "").Evidence.Value);
        Assert.Equal(2, Cell(all, "").Evidence.Units);
        Assert.Equal(65, Cell(all, "Total").Evidence.Value);
        Assert.Null(Table(Csv(("1", "A", "10")), SpecYaml("sum")).WithMissingCategory);
    }

    [Fact]
    public void Filter_selects_rows()
    {
        var csv = "id,region,income,benefit\n1,A,10,yes\n2,A,20,no\n3,B,5,yes\n";
        var t = Table(csv, SpecYaml("sum", filter: "benefit == \"yes\""));
        Assert.Equal(10, Cell(t, "A").Evidence.Value);
        Assert.Equal(2, t.RowsUsed);
    }

    [Fact]
    public void Numeric_categories_sort_numerically()
    {
        var t = Table(Csv(("1", "10", "1"), ("2", "9", "1"), ("3", "100", "1")), SpecYaml("sum"));
        Assert.Equal(["9", "10", "100"], t.Dimensions[0].Categories);
    }

    [Fact]
    public void Empty_dataset_is_an_error()
    {
        var e = Assert.Throws<DisclosureInputException>(() => Table("id,region,income\n", SpecYaml()));
        Assert.Equal("data.csv: the dataset has no data rows; nothing can be checked", e.Message);
    }

    [Fact]
    public void Empty_filter_result_is_an_error()
    {
        var e = Assert.Throws<DisclosureInputException>(() => Table(Csv(("1", "A", "1")), SpecYaml(filter: "region == \"Z\"")));
        Assert.Equal("t.spec.yaml:10: the filter matches none of the 1 row; an empty table cannot be checked", e.Message);
    }

    [Fact]
    public void Unknown_column_in_spec_is_an_error_at_its_key()
    {
        var e = Assert.Throws<DisclosureInputException>(() => Table(Csv(("1", "A", "1")), SpecYaml(value: "incme")));
        Assert.Equal("t.spec.yaml:9: column 'incme' is not in the dataset data.csv", e.Message);
    }

    [Fact]
    public void Unknown_column_in_filter_is_an_error_before_data_is_read()
    {
        // The data row is malformed: the filter error must come first, so no data row was read.
        var e = Assert.Throws<DisclosureInputException>(() => Table("id,region,income\n1,A\n", SpecYaml(filter: "regio == \"A\"")));
        Assert.Equal("t.spec.yaml:10: filter: unknown column 'regio' at position 1", e.Message);
    }

    [Fact]
    public void Malformed_row_names_file_and_line()
    {
        var e = Assert.Throws<DisclosureInputException>(() => Table("id,region,income\n1,A,1\n2,A\n", SpecYaml()));
        Assert.Equal("data.csv:3: expected 3 fields as in the header, found 2", e.Message);
    }

    [Fact]
    public void Non_numeric_value_names_line_column_and_cut_text()
    {
        var text = new string('x', 60);
        var e = Assert.Throws<DisclosureInputException>(() => Table(Csv(("1", "A", "1"), ("2", "A", text)), SpecYaml()));
        Assert.Equal($"data.csv:3: column 'income' has '{new string('x', 40)}…', which is not a number", e.Message);
    }

    [Fact]
    public void Table_larger_than_the_policy_limit_is_refused()
    {
        var policy = Policy() with { Limits = Policy().Limits with { MaxTableCells = 4 } };
        var csv = "id,region,income\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"{i},R{i},1\n"));
        var e = Assert.Throws<DisclosureInputException>(() => Table(csv, SpecYaml(), policy));
        Assert.Equal("t.spec.yaml:5: the table would have more than 4 cells (policy limit); refused before aggregation", e.Message);
    }

    [Fact]
    public void Default_limit_refuses_more_than_a_million_cells()
    {
        // 1001 x 1000 = 1,001,000 cells > 1,000,000; refused when the category that crosses the limit appears.
        var rows = new System.Text.StringBuilder("id,region,kind,income\n");
        for (var i = 0; i < 1001; i++) rows.Append(i).Append(",r").Append(i).Append(",k").Append(i % 1000).Append(",1\n");
        var e = Assert.Throws<DisclosureInputException>(() => Table(rows.ToString(), SpecYaml(cols: "[kind]")));
        Assert.Contains("more than 1,000,000 cells", e.Message);
    }

    [Fact]
    public void Category_named_Total_is_refused_when_margins_are_on()
    {
        var e = Assert.Throws<DisclosureInputException>(() => Table(Csv(("1", "Total", "1")), SpecYaml(margins: true)));
        Assert.Contains("'Total', which is reserved for margins", e.Message);
    }

    [Fact]
    public void Empty_unit_id_is_refused()
    {
        var e = Assert.Throws<DisclosureInputException>(() => Table(Csv(("", "A", "1")), SpecYaml()));
        Assert.Equal("data.csv:2: the unit column 'id' is empty; every row must name its unit", e.Message);
    }

    [Fact]
    public void Numeric_and_text_unit_ids_are_distinct_units()
    {
        // "7" and "07" are different ids (text), "7" twice is one unit.
        var t = Table(Csv(("7", "A", "1"), ("07", "A", "1"), ("7", "A", "1")), SpecYaml("sum"));
        Assert.Equal(2, Cell(t, "A").Evidence.Units);
    }
}
