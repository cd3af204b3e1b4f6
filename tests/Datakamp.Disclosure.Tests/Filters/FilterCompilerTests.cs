using System.Text;
using Datakamp.Disclosure.Filters;
using Datakamp.Disclosure.Microdata;

namespace Datakamp.Disclosure.Tests.Filters;

public class FilterCompilerTests
{
    private static List<string> Matching(string filter, string csv = "id,benefit,age\n1,yes,30\n2,no,70\n3,yes,\n4,,15\n")
    {
        using var r = new CsvReader(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "d.csv");
        var header = r.ReadHeader().ToList();
        var predicate = FilterCompiler.Compile(FilterParser.Parse(filter), c => header.IndexOf(c) is var i and >= 0 ? i : null);
        var ids = new List<string>();
        while (r.ReadRecord()) if (predicate(r)) ids.Add(r.FieldString(0));
        return ids;
    }

    [Fact]
    public void String_equality_and_numeric_comparison()
    {
        Assert.Equal(["1", "3"], Matching("benefit == \"yes\""));
        Assert.Equal(["2"], Matching("age > 30"));
        Assert.Equal(["1", "2"], Matching("age >= 30"));
    }

    [Fact]
    public void Missing_values_never_match_a_comparison_but_match_its_negation()
    {
        // row 3 has no age, row 4 no benefit
        Assert.Equal(["1", "2", "4"], Matching("age < 100"));
        Assert.Equal(["2"], Matching("benefit != \"yes\""));
        Assert.Equal(["2", "4"], Matching("not benefit == \"yes\""));
    }

    [Fact]
    public void In_and_boolean_combinations()
    {
        Assert.Equal(["1", "2"], Matching("benefit in [\"yes\", \"no\"] and age in [30, 70]"));
        Assert.Equal(["1", "3", "4"], Matching("benefit == \"yes\" or age < 20"));
    }

    [Fact]
    public void Unknown_column_is_rejected_before_reading_with_its_position()
    {
        var e = Assert.Throws<FilterSyntaxException>(() => FilterCompiler.Compile(FilterParser.Parse("age > 1 and wjk == \"A\""), c => c == "age" ? 0 : null));
        Assert.Equal("unknown column 'wjk'", e.Reason);
        Assert.Equal(12, e.Position);
    }

    [Fact]
    public void Non_numeric_text_in_numeric_comparison_is_an_error_with_line()
    {
        var e = Assert.Throws<DisclosureInputException>(() => Matching("age > 1", "id,age\n1,3\n2,old\n"));
        Assert.Equal("d.csv:3: column 'age' has 'old', which is not a number, but the filter compares it with 1", e.Message);
    }
}
