using System.Text;
using Datakamp.Domain.Releases;
using Datakamp.Releases;

namespace Datakamp.Releases.Tests;

/// <summary>The checks by file type for files without a spec: at best review, never pass; refusals say why.</summary>
public sealed class OtherFileChecksTests
{
    private const string Ns = "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"";

    private static FileCheckResult Check(string name, string text) => OtherFileChecks.Check(name, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void A_plain_svg_goes_to_review()
    {
        var result = Check("plot.svg", $"<svg {Ns}><defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\" width=\"1\" height=\"1\"/><use href=\"#g\"/></svg>");
        Assert.Equal(AutomatedCheck.Review, result.Status);
    }

    [Theory]
    [InlineData("<svg {0}><script>alert(1)</script></svg>", "<script>")]
    [InlineData("<svg {0}><rect onclick=\"x()\"/></svg>", "event handler (onclick)")]
    [InlineData("<svg {0}><image xlink:href=\"http://evil/x.png\"/></svg>", "reference outside the file (xlink:href)")]
    [InlineData("<svg {0}><a href=\"javascript:x()\"><text>t</text></a></svg>", "reference outside the file (href)")]
    [InlineData("<svg {0}><rect style=\"fill:url(http://evil/p)\"/></svg>", "url(...) outside the file in style")]
    [InlineData("<svg {0}><style>@import url(http://evil/a.css);</style></svg>", "<style>")]
    [InlineData("<svg {0}><foreignObject><div/></foreignObject></svg>", "<foreignObject>")]
    public void An_svg_that_could_run_code_or_reach_outside_is_refused_in_words(string svg, string expected)
    {
        var result = Check("plot.svg", string.Format(System.Globalization.CultureInfo.InvariantCulture, svg, Ns));
        Assert.Equal(AutomatedCheck.Fail, result.Status);
        Assert.Contains(expected, result.Summary);
    }

    [Fact]
    public void An_svg_with_a_dtd_is_refused_so_entities_cannot_expand()
    {
        var result = Check("plot.svg", "<!DOCTYPE svg [<!ENTITY x \"y\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>");
        Assert.Equal(AutomatedCheck.Fail, result.Status);
        Assert.Contains("Not a well-formed SVG", result.Summary);
    }

    [Fact]
    public void A_png_and_a_pdf_are_recognised_by_their_signature()
    {
        Assert.Equal(AutomatedCheck.Review, OtherFileChecks.Check("a.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]).Status);
        Assert.Equal(AutomatedCheck.Fail, Check("a.png", "GIF89a").Status);
        Assert.Equal(AutomatedCheck.Review, Check("a.pdf", "%PDF-1.7\n1 0 obj\n").Status);
        Assert.Equal(AutomatedCheck.Fail, Check("a.pdf", "<html>").Status);
    }

    [Fact]
    public void A_pdf_with_a_script_or_an_attachment_is_refused()
    {
        Assert.Contains("/JavaScript", Check("a.pdf", "%PDF-1.7\n<< /S /JavaScript /JS (x) >>").Summary);
        Assert.Contains("/EmbeddedFile", Check("a.pdf", "%PDF-1.7\n<< /Type /EmbeddedFile >>").Summary);
    }

    [Fact]
    public void Text_and_markdown_are_size_limited()
    {
        var result = Check("notes.md", new string('x', OtherFileChecks.MaxTextBytes + 1));
        Assert.Equal(AutomatedCheck.Fail, result.Status);
        Assert.Contains("limited to 100,000 bytes", result.Summary);
        Assert.Equal(AutomatedCheck.Review, Check("notes.md", "# Method\nWe counted persons.").Status);
    }
}
