using System.Net;
using Dapper;
using Datakamp.Data;
using Datakamp.Data.Releases;
using Datakamp.Host.Releases;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.Releases;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// The previews on the checker's review page through the real host: figures served verified, typed and locked down,
/// an SVG with a script never served, a team's text shown escaped, altered stored bytes never sent (and staff told),
/// and the checkers' disagreement told in words without their names.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class ReviewPreviewsTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>A real 1×1 PNG of one colour (RGB given as three bytes), written by Python in the sandbox.</summary>
    private const string WritePng = """
        import zlib, struct
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
        def png(path, rgb):
            header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
            open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" + rgb)) + chunk(b"IEND", b""))
        """;

    [Fact]
    public async Task Figures_texts_and_documents_are_previewed_safely_and_a_checker_of_the_team_is_refused()
    {
        await using var host = await StartAsync();
        var location = await SubmitWithPngAsync(host, """
            png("/outbox/figure.png", b"\xff\x00\x00")
            open("/outbox/clean.svg", "w").write('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>')
            open("/outbox/script.svg", "w").write('<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg")</script></svg>')
            open("/outbox/notes.md", "w").write("# Notes\n\n<script>alert(1)</script> and 5 < 6\n")
            open("/outbox/report.pdf", "wb").write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
            """, "Figures and notes", ["figure.png", "clean.svg", "script.svg", "notes.md", "report.pdf"]);
        var page = $"/checker{location["/team".Length..]}";
        using var chris = await host.SignedInAsync("chris");

        var raw = await chris.GetStringAsync(page, Ct);
        var html = WebUtility.HtmlDecode(raw);
        Assert.Contains($"<img src=\"{page}?handler=File&name=figure.png\"", html);
        Assert.Contains($"<img src=\"{page}?handler=File&name=clean.svg\"", html);
        Assert.DoesNotContain("name=script.svg\"", html);
        Assert.Contains("Not shown: the automated check has not passed this SVG", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; and 5 &lt; 6", raw);      // the team's text, escaped
        Assert.DoesNotContain("<script>alert(1)", raw);
        Assert.Contains($"<a href=\"{page}?handler=File&name=report.pdf\">open PDF</a>", html);

        using (var png = await chris.GetAsync($"{page}?handler=File&name=figure.png", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, png.StatusCode);
            Assert.Equal("image/png", png.Content.Headers.ContentType!.ToString());
            AssertLockedDown(png);
            Assert.Equal("inline", png.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("figure.png", png.Content.Headers.ContentDisposition.FileName);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await png.Content.ReadAsByteArrayAsync(Ct))[..4]);
        }
        using (var svg = await chris.GetAsync($"{page}?handler=File&name=clean.svg", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
            Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.ToString());
            AssertLockedDown(svg);
        }
        using (var script = await chris.GetAsync($"{page}?handler=File&name=script.svg", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
            Assert.Equal("text/html", script.Content.Headers.ContentType!.MediaType);
            var body = await script.Content.ReadAsStringAsync(Ct);
            Assert.Contains("script.svg is not shown", body);
            Assert.DoesNotContain("alert(\"svg\")", body);
        }
        using (var pdf = await chris.GetAsync($"{page}?handler=File&name=report.pdf", Ct))
        {
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.ToString());
            Assert.Equal("attachment", pdf.Content.Headers.ContentDisposition!.DispositionType);
            AssertLockedDown(pdf);
        }
        using (var md = await chris.GetAsync($"{page}?handler=File&name=notes.md", Ct))
        {
            Assert.Equal("text/plain; charset=utf-8", md.Content.Headers.ContentType!.ToString());     // never rendered as a document
            AssertLockedDown(md);
        }
        using (var unknown = await chris.GetAsync($"{page}?handler=File&name=other.png", Ct))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // A checker who is a member of the team is refused the file as the page: the cookie scheme's Forbid.
        using var nora = await ReviewThroughTheHostTests.SignedInNewCheckerOfNoordAsync(host);
        using var refused = await nora.GetAsync($"{page}?handler=File&name=figure.png", Ct);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("denied", refused.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_stored_file_altered_on_disk_is_never_served_and_staff_are_told()
    {
        await using var host = await StartAsync();
        var location = await SubmitWithPngAsync(host, """
            png("/outbox/altered.png", b"\x00\x00\xff")
            open("/outbox/altered.txt", "w").write("The words the checker was shown.\n")
            """, "Altered later", ["altered.png", "altered.txt"]);
        var page = $"/checker{location["/team".Length..]}";
        var id = long.Parse(location.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        var database = host.Factory.Services.GetRequiredService<Database>();
        var store = host.Factory.Services.GetRequiredService<ContentStore>();
        var record = (await new ReleaseRepository(database).FindAsync(id, Ct))!;
        foreach (var file in record.CurrentFiles)
        {
            var path = Path.Combine(store.Root, "sha256", file.Sha256[..2], file.Sha256[2..4], file.Sha256);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            await File.WriteAllTextAsync(path, "ALTERED BYTES <script>alert(2)</script>", Ct);
        }
        using var chris = await host.SignedInAsync("chris");

        using var figure = await chris.GetAsync($"{page}?handler=File&name=altered.png", Ct);
        var body = await figure.Content.ReadAsStringAsync(Ct);
        var review = await chris.GetStringAsync(page, Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, figure.StatusCode);
        Assert.Equal("text/html", figure.Content.Headers.ContentType!.MediaType);
        Assert.Contains("The stored file altered.png no longer matches its recorded SHA-256, so it was not served. Staff have been told.", body);
        Assert.DoesNotContain("ALTERED", body);
        Assert.Contains("Not shown: the stored file no longer matches its recorded SHA-256. Staff have been told.", review);
        Assert.DoesNotContain("ALTERED", review);
        Assert.DoesNotContain("The words the checker was shown.", review);
        await using var connection = await database.DataSource.OpenConnectionAsync(Ct);
        var files = (await connection.QueryAsync<string>(
            "SELECT details::jsonb->>'file' FROM audit_events WHERE action = 'release.content_mismatch' AND subject_id = @id AND team_id = @team ORDER BY seq",
            new { id = id.ToString(System.Globalization.CultureInfo.InvariantCulture), team = record.Request.TeamId })).ToList();
        Assert.Equal(["altered.png", "altered.txt"], files.Distinct().Order());
    }

    [Fact]
    public async Task When_two_checkers_differ_both_pages_say_so_in_words_after_the_review_and_the_team_page_names_no_checker()
    {
        await using var host = await StartAsync();
        var location = await ReviewThroughTheHostTests.SubmitFlaggedTableAsync(host);
        var page = $"/checker{location["/team".Length..]}";
        using var noord = await host.SignedInAsync("noord1");
        using var chris = await host.SignedInAsync("chris");
        using var dana = await host.SignedInAsync("dana");

        using (await ReviewThroughTheHostTests.VoteAsync(chris, page, await chris.GetStringAsync(page, Ct), "approve", "Looks safe to me.")) { }
        var duringReview = await chris.GetStringAsync(page, Ct);       // blind review: nothing of the other vote
        var teamDuringReview = await noord.GetStringAsync(location, Ct);
        using (await ReviewThroughTheHostTests.VoteAsync(dana, page, await dana.GetStringAsync(page, Ct), "return", "Too many small cells.")) { }
        var team = WebUtility.HtmlDecode(await noord.GetStringAsync(location, Ct));
        var checker = WebUtility.HtmlDecode(await chris.GetStringAsync(page, Ct));

        const string Sentence = "The two checkers differed on t.csv (approved, returned for changes); the stricter decision holds: returned for changes.";
        Assert.DoesNotContain("differed", duringReview);
        Assert.DoesNotContain("differed", teamDuringReview);
        Assert.Contains(Sentence, team);
        Assert.Contains(Sentence, checker);
        Assert.DoesNotContain("chris", team, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("dana", team, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Noord's request of <paramref name="files"/>, written by <paramref name="python"/> that may call png(path, rgb).</summary>
    private static Task<string> SubmitWithPngAsync(DemoHost host, string python, string purpose, IReadOnlyList<string> files) =>
        ReviewThroughTheHostTests.SubmitFromSandboxAsync(host, WritePng + "\n" + python, purpose, files);

    private Task<DemoHost> StartAsync() => DemoHost.StartWithSandboxImageAsync(postgres, docker);

    private static void AssertLockedDown(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(StoredFileResponse.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox", StoredFileResponse.ContentSecurityPolicy);
        Assert.True(response.Headers.CacheControl!.NoStore);
    }
}
