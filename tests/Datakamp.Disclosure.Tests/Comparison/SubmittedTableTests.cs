using Datakamp.Disclosure.Comparison;
using Datakamp.Disclosure.Policies;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Comparison;

public class SubmittedTableTests
{
    private static readonly ComparisonSettings Settings = new(1e-9, CheckStatus.Review, CheckStatus.Review);

    [Fact]
    public void Reads_long_form_with_totals()
    {
        var t = Table(Csv(("1", "A", "1"), ("2", "B", "2")), SpecYaml("sum", margins: true));
        var s = SubmittedTable.Read(Utf8("region,value\nA,1\nB,2\nTotal,3\n"), "out.csv", t, ',');
        Assert.Equal(3, s.Count);
        Assert.Equal(3.0, s[t.IndexOf([-1])].Value);
    }

    [Fact]
    public void Unknown_category_names_file_line_and_category()
    {
        var t = Table(Csv(("1", "A", "1")), SpecYaml("sum"));
        var e = Assert.Throws<DisclosureInputException>(() => SubmittedTable.Read(Utf8("region,value\nA,1\nZ,2\n"), "out.csv", t, ','));
        Assert.Equal("out.csv:3: category 'Z' of 'region' does not exist in the recomputed table", e.Message);
    }

    [Fact]
    public void Duplicate_cell_and_extra_column_are_errors()
    {
        var t = Table(Csv(("1", "A", "1")), SpecYaml("sum"));
        Assert.Contains("appears twice", Assert.Throws<DisclosureInputException>(() => SubmittedTable.Read(Utf8("region,value\nA,1\nA,1\n"), "o.csv", t, ',')).Message);
        Assert.Contains("unexpected column 'id'", Assert.Throws<DisclosureInputException>(() => SubmittedTable.Read(Utf8("region,id,value\n"), "o.csv", t, ',')).Message);
    }

    [Theory]
    [InlineData(100.0, 100.00000000001, CheckStatus.Pass)]   // 1e-13 relative: summation order
    [InlineData(100.0, 100.001, CheckStatus.Review)]         // 1e-5 relative: a different value
    [InlineData(null, null, CheckStatus.Pass)]               // both empty
    [InlineData(5.0, null, CheckStatus.Review)]
    public void Values_are_compared_with_a_tiny_relative_tolerance(double? recomputed, double? submitted, CheckStatus expected)
    {
        Assert.Equal(expected, CellComparison.Compare(true, submitted, recomputed, Settings).Status);
    }

    [Fact]
    public void Missing_cell_is_a_finding_unless_empty()
    {
        Assert.Equal(CheckStatus.Review, CellComparison.Compare(false, null, 4, Settings).Status);
        Assert.Equal(CheckStatus.Pass, CellComparison.Compare(false, null, null, Settings).Status);
    }
}
