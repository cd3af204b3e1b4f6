using Datakamp.Disclosure.PrimarySuppression;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests;

/// <summary>
/// Small tables where acro-default must reach the decision ACRO (acro/utils.py agg_threshold, agg_nk,
/// agg_p_percent with default.yaml) reaches. Every unit has one row, so ACRO's row counts equal our
/// distinct-unit counts.
/// </summary>
public class AcroComparisonTests
{
    private static CheckStatus Decide(string spec, string csv)
    {
        var p = Policy("acro-default");
        var t = Table(csv, spec, p);
        return PrimarySuppressor.Assess(t, p).Aggregate(CheckStatus.Pass, (s, a) => s.Worst(a.Status));
    }

    [Fact]
    public void Case1_nine_rows_fail_threshold_ten_pass()
    {
        // ACRO: vals.count() = 9 < 10 -> threshold fails; 10 < 10 false -> passes.
        Assert.Equal(CheckStatus.Fail, Decide(SpecYaml("count", value: null), OneRegion(Enumerable.Repeat(1.0, 9).ToArray())));
        Assert.Equal(CheckStatus.Pass, Decide(SpecYaml("count", value: null), OneRegion(Enumerable.Repeat(1.0, 10).ToArray())));
    }

    [Fact]
    public void Case2_top_two_exactly_ninety_percent_fails_as_in_acro_1_0_1()
    {
        // 45, 45 and ten units of 1: X = 100, top-2 = 90; ACRO 1.0.1: 90/100 >= 0.90 is True -> nk fails
        // (ACRO 0.4.12 compared with > and passed it). p-ratio: (100 - 45 - 45)/45 = 0.222 >= 0.10 -> pass; 12 rows >= 10.
        var values = new double[] { 45, 45 }.Concat(Enumerable.Repeat(1.0, 10)).ToArray();
        Assert.Equal(CheckStatus.Fail, Decide(SpecYaml("sum"), OneRegion(values)));
    }

    [Fact]
    public void Case2b_top_two_just_below_ninety_percent_passes()
    {
        // 45, 44.99 and ten units of 1.001: X = 89.99 + 10.01 = 100, top-2 = 89.99; 0.8999 >= 0.90 is False -> pass.
        // p-ratio: (100 - 89.99)/45 = 0.222 -> pass; 12 rows.
        var values = new double[] { 45, 44.99 }.Concat(Enumerable.Repeat(1.001, 10)).ToArray();
        Assert.Equal(CheckStatus.Pass, Decide(SpecYaml("sum"), OneRegion(values)));
    }

    [Fact]
    public void Case3_top_two_above_ninety_percent_fails()
    {
        // 50, 45 and ten units of 0.5: X = 100, top-2 = 95; 0.95 > 0.90 -> nk fails.
        // p-ratio: (100 - 95)/50 = 0.10, not < 0.10 -> p passes; ACRO fails the cell on nk alone.
        var values = new double[] { 50, 45 }.Concat(Enumerable.Repeat(0.5, 10)).ToArray();
        Assert.Equal(CheckStatus.Fail, Decide(SpecYaml("sum"), OneRegion(values)));
    }

    [Fact]
    public void Case4_p_ratio_below_ten_percent_fails()
    {
        // 100, 50 and ten units of 0.8: X = 158; (158 - 150)/100 = 0.08 < 0.10 -> p-ratio fails (nk too: 150/158 = 0.95).
        var values = new double[] { 100, 50 }.Concat(Enumerable.Repeat(0.8, 10)).ToArray();
        Assert.Equal(CheckStatus.Fail, Decide(SpecYaml("sum"), OneRegion(values)));
    }

    [Fact]
    public void Case5_zero_in_frequency_table_fails()
    {
        // 2x2 crosstab, 10 rows per filled cell, (B, y) empty. ACRO: 0 < 10 threshold -> fail (zeros disclosive).
        var csv = "id,region,kind\n" + string.Concat(Enumerable.Range(0, 30).Select(i =>
            $"{i},{(i < 20 ? "A" : "B")},{(i < 10 || i >= 20 ? "x" : "y")}\n"));
        Assert.Equal(CheckStatus.Fail, Decide(SpecYaml("count", cols: "[kind]", value: null), csv));
    }

    [Fact]
    public void Case6_full_frequency_table_passes()
    {
        // every cell has 10 rows -> ACRO passes every cell.
        var csv = "id,region,kind\n" + string.Concat(Enumerable.Range(0, 40).Select(i =>
            $"{i},{(i < 20 ? "A" : "B")},{(i % 20 < 10 ? "x" : "y")}\n"));
        Assert.Equal(CheckStatus.Pass, Decide(SpecYaml("count", cols: "[kind]", value: null), csv));
    }

    [Fact]
    public void Case7_empty_cell_of_a_magnitude_table_fails()
    {
        // Sum of income by region x kind, 10 persons of income 100 in (A, x), (A, y) and (B, x), none in (B, y).
        // ACRO: vals.count() = 0 < 10 -> the empty cell is flagged; acro-default flags it through zero_cells.
        var csv = "id,region,kind,income\n" + string.Concat(Enumerable.Range(0, 30).Select(i =>
            $"{i},{(i < 20 ? "A" : "B")},{(i < 10 || i >= 20 ? "x" : "y")},100\n"));
        Assert.Equal(CheckStatus.Fail, Decide(SpecYaml("sum", cols: "[kind]"), csv));
    }
}
