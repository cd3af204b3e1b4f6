using Datakamp.Domain;

namespace Datakamp.Domain.Tests;

public sealed class LogTextTests
{
    [Fact]
    public void Short_printable_text_is_kept_as_it_is() => Assert.Equal("noord1", LogText.Excerpt("noord1"));

    [Fact]
    public void Control_and_non_ascii_characters_are_escaped_so_one_value_is_one_line()
    {
        Assert.Equal("a\\nb\\r\\tc\\\\d\\u00E9\\u0000", LogText.Excerpt("a\nb\r\tc\\d\u00e9\0"));
    }

    [Fact]
    public void A_megabyte_of_text_becomes_a_bounded_excerpt_that_says_how_long_it_was()
    {
        var excerpt = LogText.Excerpt(new string('x', 1_000_000));
        Assert.Equal(new string('x', LogText.MaxChars) + "... (1,000,000 characters in all)", excerpt);
    }

    [Fact]
    public void Escapes_count_towards_the_bound()
    {
        Assert.True(LogText.Excerpt(new string('\u00e9', 10_000), 30).Length < 30 + 6 + 40);
    }

    [Fact]
    public void No_value_is_written_as_none() => Assert.Equal("(none)", LogText.Excerpt(null));
}
