namespace Datakamp.Domain.Tests;

public sealed class SlugTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("team-noord")]
    [InlineData("dk2026")]
    [InlineData("0-start-with-digit")]
    public void Lower_case_letters_digits_and_dashes_are_a_slug(string value)
    {
        Assert.Equal(value, Slug.Parse(value, "team").Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("Upper")]
    [InlineData("team noord")]
    [InlineData("../etc")]
    [InlineData("team\nnoord")]
    [InlineData("ünïcode")]
    [InlineData("a-name-that-is-far-too-long-to-be-a-slug-x")]
    public void Anything_else_is_refused_naming_the_field(string value)
    {
        var error = Assert.Throws<DomainValidationException>(() => Slug.Parse(value, "team"));

        Assert.Equal("team", error.Field);
        Assert.False(Slug.TryParse(value, out _));
    }
}
