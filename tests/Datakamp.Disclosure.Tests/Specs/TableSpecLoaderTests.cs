using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tests.Specs;

public class TableSpecLoaderTests
{
    [Fact]
    public void Reads_a_full_yaml_spec()
    {
        var s = TableSpecLoader.Parse("""
            version: 1
            kind: table
            dataset: persons
            unit: person_id
            rows: [wijk]
            cols: [age_band]
            layers: sex
            statistic: p90
            value: income
            filter: benefit == "yes"
            margins: true
            file: income.csv
            delimiter: ";"
            """, "s.yaml");
        Assert.Equal(["wijk", "age_band", "sex"], s.Dimensions);
        Assert.Equal(new Statistic(StatisticKind.Percentile, 90), s.Statistic);
        Assert.NotNull(s.Filter);
        Assert.True(s.Margins);
        Assert.Equal(';', s.Delimiter);
    }

    [Fact]
    public void Reads_a_json_spec()
    {
        var s = TableSpecLoader.Parse("""{"version": 1, "kind": "table", "dataset": "p", "unit": "id", "rows": ["a"], "statistic": "count", "file": "o.csv"}""", "s.json");
        Assert.Equal(StatisticKind.Count, s.Statistic.Kind);
    }

    [Fact]
    public void Unknown_key_is_rejected_with_line()
    {
        var e = Assert.Throws<DisclosureInputException>(() => TestData.Spec(TestData.SpecYaml() + "colums: [x]\n"));
        Assert.StartsWith("t.spec.yaml:10: unknown key 'colums'", e.Message);
    }

    [Theory]
    [InlineData("statistic: sum\n", "statistic: mode\n", "unknown statistic 'mode'")]
    [InlineData("statistic: sum\n", "statistic: p100\n", "unknown statistic 'p100'")]
    [InlineData("version: 1\n", "version: 2\n", "unsupported spec version 2")]
    [InlineData("kind: table\n", "kind: chart\n", "'kind' must be 'table'")]
    public void Invalid_values_are_rejected(string from, string to, string reason)
    {
        var e = Assert.Throws<DisclosureInputException>(() => TestData.Spec(TestData.SpecYaml().Replace(from, to)));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Count_takes_no_value_and_sum_needs_one()
    {
        Assert.Contains("takes no 'value'", Assert.Throws<DisclosureInputException>(() => TestData.Spec(TestData.SpecYaml("count"))).Message);
        Assert.Contains("needs a 'value'", Assert.Throws<DisclosureInputException>(() => TestData.Spec(TestData.SpecYaml("sum", value: null))).Message);
    }

    [Fact]
    public void Weights_are_refused_for_percentiles()
    {
        var e = Assert.Throws<DisclosureInputException>(() => TestData.Spec(TestData.SpecYaml("median", weight: "w")));
        Assert.Contains("weights are supported for count, sum and mean only", e.Message);
    }

    [Fact]
    public void More_than_three_dimensions_are_refused()
    {
        var e = Assert.Throws<DisclosureInputException>(() => TestData.Spec(TestData.SpecYaml(rows: "[a, b]", cols: "[c, d]")));
        Assert.Contains("at most 3 dimensions", e.Message);
    }

    [Fact]
    public void Filter_syntax_error_names_spec_line_and_filter_position()
    {
        var e = Assert.Throws<DisclosureInputException>(() => TestData.Spec(TestData.SpecYaml(filter: "x = 1")));
        Assert.Equal("t.spec.yaml:10: filter: use '==' to compare, not '=' at position 3", e.Message);
    }
}
