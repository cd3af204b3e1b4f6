using Datakamp.Disclosure.Filters;

namespace Datakamp.Disclosure.Tests.Filters;

public class FilterParserTests
{
    [Fact]
    public void And_binds_tighter_than_or_and_not_tighter_than_and()
    {
        var e = FilterParser.Parse("a == 1 or b == 2 and not c == 3");
        var or = Assert.IsType<OrFilter>(e);
        Assert.IsType<CompareFilter>(or.Left);
        var and = Assert.IsType<AndFilter>(or.Right);
        Assert.IsType<NotFilter>(and.Right);
    }

    [Fact]
    public void Parentheses_override_precedence()
    {
        var and = Assert.IsType<AndFilter>(FilterParser.Parse("(a == 1 or b == 2) and c == 3"));
        Assert.IsType<OrFilter>(and.Left);
    }

    [Fact]
    public void In_list_with_strings_and_numbers()
    {
        var i = Assert.IsType<InFilter>(FilterParser.Parse("wijk in [\"Noord\", \"Zuid\", 3]"));
        Assert.Equal("wijk", i.Column);
        Assert.Equal(3, i.Items.Count);
        Assert.True(i.Items[2].IsNumber);
    }

    [Fact]
    public void String_escapes_and_negative_numbers()
    {
        var c = Assert.IsType<CompareFilter>(FilterParser.Parse("name == \"say \\\"hi\\\"\""));
        Assert.Equal("say \"hi\"", c.Literal.Text);
        var n = Assert.IsType<CompareFilter>(FilterParser.Parse("x >= -1.5e2"));
        Assert.Equal(-150, n.Literal.Number);
        Assert.Equal(FilterOperator.GreaterOrEqual, n.Operator);
    }

    [Theory]
    [InlineData("a = 1", "use '==' to compare, not '='", 2)]
    [InlineData("a == \"open", "string is not closed with '\"'", 5)]
    [InlineData("a == 1 and", "filter ends where a column name was expected", 10)]
    [InlineData("a == b", "expected a \"string\" or a number, found 'b' (put text in double quotes)", 5)]
    [InlineData("(a == 1", "expected ')', found 'end of filter'", 7)]
    [InlineData("a == 1 b == 2", "unexpected 'b'", 7)]
    [InlineData("a ~ 1", "unexpected character '~'", 2)]
    [InlineData("a in [1,", "expected a \"string\" or a number, found 'end of filter'", 8)]
    public void Syntax_errors_name_the_position(string text, string reason, int position)
    {
        var e = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse(text));
        Assert.Equal(reason, e.Reason);
        Assert.Equal(position, e.Position); // 0-based offset
    }
}
