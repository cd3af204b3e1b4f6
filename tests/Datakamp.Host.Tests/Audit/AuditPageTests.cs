using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Datakamp.Data.Audit;
using Datakamp.Domain.Audit;
using Datakamp.Host.Tests.Releases;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Audit;

/// <summary>
/// The audit trail's pages through the real host: staff filter it and see exactly the matching events, download the
/// same as CSV (formula-looking fields neutralised), get a message for bad filters; members are refused the staff page;
/// everyone signed in sees their own activity and nobody else's.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed partial class AuditPageTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const string Page = "/staff/audit";

    [Fact]
    public async Task Staff_filter_by_team_and_action_and_see_exactly_the_matching_events_newest_first()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var noord = (await PublishedRequests.AccountAsync(host, "noord1")).Team!.TeamId;
        using var noord1 = await host.SignedInAsync("noord1");
        using var zuid1 = await host.SignedInAsync("zuid1");
        using var anna = await host.SignedInAsync("anna");
        var all = await new AuditLog(PublishedRequests.DatabaseOf(host).DataSource).QueryAsync(new AuditQuery(Limit: 100_000), Ct);

        var html = await anna.GetStringAsync($"{Page}?team={noord}&action={AuditActions.SignIn}", Ct);

        // Worked out here from the whole trail, not by the query the page uses.
        var expected = all.Where(r => r.Entry.TeamId == noord && r.Entry.Action == AuditActions.SignIn).Select(r => r.Seq).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, SeqsOf(html));
        Assert.Equal(expected.OrderDescending(), SeqsOf(html));
        Assert.Contains("<td>team:demo/noord/noord1</td>", html);
        Assert.DoesNotContain("<td>team:demo/zuid/zuid1</td>", html);
        Assert.DoesNotContain("<td>staff:anna</td>", html);
        Assert.Contains($"<option value=\"{noord}\" selected=\"selected\">", html);   // the form keeps the filters
        Assert.Contains($"<option value=\"{AuditActions.SignIn}\" selected=\"selected\">", html);
    }

    [Fact]
    public async Task The_csv_has_the_same_rows_as_the_page_and_a_formula_looking_field_is_neutralised()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var team = (await PublishedRequests.AccountAsync(host, "noord1")).Team!;
        var log = new AuditLog(PublishedRequests.DatabaseOf(host).DataSource);
        await log.AppendAsync(new AuditEntry("system", AuditActions.ReleaseWithdrawn, "release_request", "=HYPERLINK(\"http://evil.example\",\"x\")",
            team.EventId, team.TeamId, DetailsJson: """{"reason":"a, \"quoted\" reason"}"""), Ct);
        await log.AppendAsync(new AuditEntry("system", AuditActions.ReleaseWithdrawn, "release_request", "4242", team.EventId, team.TeamId), Ct);
        using var anna = await host.SignedInAsync("anna");
        var filters = $"team={team.TeamId}&action={AuditActions.ReleaseWithdrawn}";

        var html = await anna.GetStringAsync($"{Page}?{filters}", Ct);
        using var csv = await anna.GetAsync($"{Page}?handler=Csv&{filters}", Ct);

        Assert.Contains($"href=\"{Page}?handler=Csv&{filters}\"", WebUtility.HtmlDecode(html));   // the page's link is this address
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var rows = ParseCsv(await csv.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["seq", "time_utc", "actor", "action", "subject_type", "subject_id", "team", "dataset", "details"], rows[0]);
        Assert.Equal(SeqsOf(html), rows.Skip(1).Select(row => long.Parse(row[0], CultureInfo.InvariantCulture)));
        Assert.Equal(2, rows.Count - 1);
        var formula = rows[2];   // the older of the two
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"x\")", formula[5]);
        Assert.Equal("""{"reason":"a, \"quoted\" reason"}""", formula[8]);
        Assert.Equal(("system", AuditActions.ReleaseWithdrawn, "demo / Team Noord"), (formula[2], formula[3], formula[6]));
        Assert.Equal("4242", rows[1][5]);
        // On the page the same subject is text, escaped, never markup.
        Assert.Contains("release_request =HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)", html);
    }

    [Theory]
    [InlineData("from=2026-05-14T17:00&to=2026-05-14T09:00", "The start time must be before the end time.")]
    [InlineData("from=yesterday", "The start time is not a date and time")]
    [InlineData("to=2026-13-45T10:00", "The end time is not a date and time")]
    [InlineData("action=account.deleted_everything", "There is no such action: choose one from the list.")]
    [InlineData("team=99999", "There is no such team: choose one from the list.")]
    [InlineData("dataset=abc", "There is no such dataset: choose one from the list.")]
    public async Task A_bad_filter_gets_a_clear_message_on_the_form_and_no_events(string filters, string message)
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var anna = await host.SignedInAsync("anna");

        foreach (var address in new[] { $"{Page}?{filters}", $"{Page}?handler=Csv&{filters}" })
        {
            using var response = await anna.GetAsync(address, Ct);
            var html = await response.Content.ReadAsStringAsync(Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);   // the form with its message, not a CSV
            Assert.Contains($"<p class=\"error\" role=\"status\">{WebUtility.HtmlEncode(message)}", html);
            Assert.Empty(SeqsOf(html));
            Assert.DoesNotContain("Download as CSV", html);
        }
    }

    [Fact]
    public async Task More_than_500_matching_events_show_the_newest_500_with_a_note()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var log = new AuditLog(PublishedRequests.DatabaseOf(host).DataSource);
        for (var i = 1; i <= 501; i++)
            await log.AppendAsync(new AuditEntry("system:load", AuditActions.ReleaseChecked, "release_request", i.ToString(CultureInfo.InvariantCulture)), Ct);
        using var anna = await host.SignedInAsync("anna");

        var html = await anna.GetStringAsync($"{Page}?person=system:load", Ct);
        var few = await anna.GetStringAsync($"{Page}?person=system:load&from=2000-01-01&to=2100-01-01&action={AuditActions.ReleaseChecked}", Ct);

        Assert.Equal(500, SeqsOf(html).Count);
        Assert.Contains("More than 500 events match: these are the newest 500.", html);
        Assert.Equal(500, SeqsOf(few).Count);
        using var csv = await anna.GetAsync($"{Page}?handler=Csv&person=system:load", Ct);
        Assert.Equal(1 + 501, ParseCsv(await csv.Content.ReadAsStringAsync(Ct)).Count);   // the CSV holds them all
    }

    [Fact]
    public async Task Members_and_checkers_are_refused_the_staff_audit_page_and_its_csv()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        foreach (var who in new[] { "noord1", "chris" })
        {
            using var client = await host.SignedInAsync(who);
            foreach (var address in new[] { Page, $"{Page}?handler=Csv" })
            {
                using var response = await client.GetAsync(address, Ct);
                // The cookie scheme answers Forbid with a redirect to the access-denied page, which answers 403.
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                using var denied = await client.GetAsync(response.Headers.Location, Ct);
                Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            }
        }
    }

    [Fact]
    public async Task My_activity_shows_my_own_sign_in_and_nobody_elses()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var anna = await host.SignedInAsync("anna");
        using var noord1 = await host.SignedInAsync("noord1");

        var mine = await noord1.GetStringAsync("/me/activity", Ct);
        var annas = await anna.GetStringAsync("/me/activity", Ct);

        Assert.Contains("<td>team:demo/noord/noord1</td><td>account.signed_in</td>", mine);
        Assert.Equal(SeqsOf(mine).Count, ActorCells().Matches(mine).Count(m => m.Groups[1].Value == "team:demo/noord/noord1"));
        Assert.DoesNotContain("staff:anna", mine);
        Assert.Contains("<td>staff:anna</td><td>account.signed_in</td>", annas);
        Assert.DoesNotContain("noord1</td>", annas);
        Assert.Contains("<a href=\"/me/activity\">My activity</a>", mine);
        using var signedOut = await host.NewClient().GetAsync("/me/activity", Ct);
        Assert.Contains("/signin", signedOut.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private static List<long> SeqsOf(string html) =>
        SeqRow().Matches(html).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    /// <summary>RFC 4180 as the test reads it: quoted fields (quotes doubled inside), commas between, CRLF after each row.</summary>
    private static List<string[]> ParseCsv(string csv)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (i < csv.Length)
        {
            Assert.Equal('"', csv[i]);
            i++;
            while (!(csv[i] == '"' && (i + 1 == csv.Length || csv[i + 1] != '"')))
            {
                field.Append(csv[i]);
                i += csv[i] == '"' ? 2 : 1;
            }
            i++;
            fields.Add(field.ToString());
            field.Clear();
            if (csv[i] == ',') { i++; continue; }
            Assert.Equal("\r\n", csv.Substring(i, 2));
            i += 2;
            rows.Add([.. fields]);
            fields.Clear();
        }
        return rows;
    }

    [GeneratedRegex("<tr data-seq=\"(\\d+)\">")]
    private static partial Regex SeqRow();

    [GeneratedRegex("<td>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d</td><td>([^<]*)</td>")]
    private static partial Regex ActorCells();
}
