using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;
using Datakamp.Releases;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// The staff page of publications through the real host: a publication listed with its files, revoked with a reason
/// (kept on the page with who and when, and audited), an empty reason refused on the form, the integrity alerts from
/// the audit trail, and everyone who is not enabled staff refused on the page and on the revoke post.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class PublicationsStaffPageTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const string Page = "/staff/publications";
    private const string Note = "Mean income rose in every district.\n";

    [Fact]
    public async Task Staff_revoke_a_publication_with_a_reason_and_the_page_keeps_it_with_who_and_why()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var id = await PublishedNoteAsync(host);
        using var anna = await host.SignedInAsync("anna");

        var before = WebUtility.HtmlDecode(await anna.GetStringAsync(Page, Ct));
        Assert.Contains($"<tr data-request=\"{id}\">", before);
        Assert.Contains("Team Noord", before);
        Assert.Contains($"<code>note.txt</code> <small title=\"{ShaOf(Note)}\">SHA-256 {ShaOf(Note)[..12]}…", before);
        Assert.Contains("in force", before);
        Assert.Contains($"requestId={id}&handler=Revoke", before);                       // its revoke form

        using var revoked = await RevokeAsync(anna, id, "The note names a district of fewer than ten households.");
        var after = WebUtility.HtmlDecode(await revoked.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Contains($"The publication of request #{id} is revoked", after);
        Assert.Matches(@"<strong>revoked</strong> \d{4}-\d\d-\d\d \d\d:\d\d by staff:anna: The note names a district of fewer than ten households\.", after);
        Assert.Contains($"<code>note.txt</code>", after);                                   // still listed: a revocation is history, not a deletion
        Assert.DoesNotContain("handler=Revoke", await anna.GetStringAsync(Page, Ct));               // nothing left to revoke
        var audit = await new AuditLog(DatabaseOf(host).DataSource).QueryAsync(new AuditQuery(Action: AuditActions.PublicationRevoked), Ct);
        Assert.Equal(("staff:anna", id.ToString(CultureInfo.InvariantCulture)), (audit.Single().Entry.Actor, audit.Single().Entry.SubjectId));
        Assert.Contains("fewer than ten households", audit.Single().Entry.DetailsJson);
        Assert.Empty(await new ReleaseRepository(DatabaseOf(host)).ListPublishedAsync(audit.Single().Entry.EventId!.Value, Ct));
    }

    [Fact]
    public async Task An_empty_reason_gets_a_clear_message_on_the_form_and_nothing_is_revoked()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var id = await PublishedNoteAsync(host);
        using var anna = await host.SignedInAsync("anna");

        using var refused = await RevokeAsync(anna, id, "   ");
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("<p class=\"error\" role=\"status\">Give the reason for revoking (it is kept with the publication).</p>", html);
        Assert.Contains("in force", html);
        Assert.False((await new ReleaseRepository(DatabaseOf(host)).FindAsync(id, Ct))!.Publication!.IsRevoked);
        Assert.Empty(await new AuditLog(DatabaseOf(host).DataSource).QueryAsync(new AuditQuery(Action: AuditActions.PublicationRevoked), Ct));
    }

    [Fact]
    public async Task Members_checkers_and_disabled_staff_are_refused_on_the_page_and_on_the_revoke_post()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var id = await PublishedNoteAsync(host);
        using var anonymous = host.NewClient();
        using (var signedOut = await anonymous.GetAsync(Page, Ct))
            Assert.Contains("/signin", signedOut.Headers.Location!.ToString(), StringComparison.Ordinal);

        foreach (var (who, formPage) in new[] { ("noord1", "/team"), ("zuid1", "/team"), ("chris", "/checker") })
        {
            using var client = await host.SignedInAsync(who);
            await AssertRefusedAsync(client, id, DemoHost.FormToken(await client.GetStringAsync(formPage, Ct)), who);
        }

        // Staff whose account was disabled after signing in: the cookie still says staff, the stored account does not.
        using var anna = await host.SignedInAsync("anna");
        var token = DemoHost.FormToken(await anna.GetStringAsync(Page, Ct));
        await using (var connection = await DatabaseOf(host).DataSource.OpenConnectionAsync(Ct))
            await connection.ExecuteAsync("UPDATE accounts SET disabled_at = now() WHERE username = 'anna'");
        await AssertRefusedAsync(anna, id, token, "disabled anna");

        Assert.False((await new ReleaseRepository(DatabaseOf(host)).FindAsync(id, Ct))!.Publication!.IsRevoked);
        Assert.Empty(await new AuditLog(DatabaseOf(host).DataSource).QueryAsync(new AuditQuery(Action: AuditActions.PublicationRevoked), Ct));
    }

    [Fact]
    public async Task An_integrity_alert_in_the_audit_trail_shows_on_the_page_newest_first()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var noord1 = await AccountAsync(host, "noord1");
        var log = new AuditLog(DatabaseOf(host).DataSource);
        await log.AppendAsync(Alert(AuditActions.ReleasePublishFailed, "4241", noord1.Team!, "old.csv", new string('b', 64)), Ct);
        await log.AppendAsync(Alert(AuditActions.ReleaseContentMismatch, "4242", noord1.Team!, "t.csv", new string('c', 64)), Ct);
        using var anna = await host.SignedInAsync("anna");

        var html = WebUtility.HtmlDecode(await anna.GetStringAsync(Page, Ct));

        var mismatch = Regex.Match(html, @"<td>not served: content does not match its SHA-256</td>\s*<td>#4242</td>\s*<td>Team Noord</td>\s*<td><code>t\.csv</code></td><td><code>c{64}</code></td>");
        var publishFailed = Regex.Match(html, @"<td>not published: content does not match its SHA-256</td>\s*<td>#4241</td>\s*<td>Team Noord</td>\s*<td><code>old\.csv</code></td><td><code>b{64}</code></td>");
        Assert.True(mismatch.Success && publishFailed.Success, html);
        Assert.True(publishFailed.Index > mismatch.Index, "the newest alert comes first");
    }

    private static async Task AssertRefusedAsync(HttpClient client, long id, string token, string who)
    {
        Assert.False(token.Length == 0, $"{who}: no antiforgery token of their own to post with");
        using var get = await client.GetAsync(Page, Ct);
        using var post = await client.PostAsync($"{Page}?handler=Revoke&requestId={id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["reason"] = "not mine to revoke", ["__RequestVerificationToken"] = token,
        }), Ct);

        // The cookie scheme answers Forbid with a redirect to the access-denied page, which answers 403.
        foreach (var response in new[] { get, post })
        {
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{who}: {response.RequestMessage!.Method} gave {response.StatusCode}");
            Assert.Contains("/denied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        using var denied = await client.GetAsync(get.Headers.Location, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    private static Task<HttpResponseMessage> RevokeAsync(HttpClient staff, long id, string reason) =>
        DemoHost.PostFormAsync(staff, $"{Page}?handler=Revoke&requestId={id}", new() { ["reason"] = reason }, Page);

    private static AuditEntry Alert(string action, string requestId, AccountTeam team, string file, string sha256) =>
        new("system", action, "release_request", requestId, team.EventId, team.TeamId,
            DetailsJson: $$"""{"file":"{{file}}","sha256":"{{sha256}}","error":"content does not match its SHA-256"}""");

    /// <summary>
    /// A request of team Noord with one text file, put into the host's store and recorded as the submit would, checked by
    /// the host's own check worker, and approved by both demo checkers through the workflow: the host publishes it.
    /// </summary>
    private static Task<long> PublishedNoteAsync(DemoHost host) => PublishedRequests.NoteAsync(host, Note);

    private static string ShaOf(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Database DatabaseOf(DemoHost host) => PublishedRequests.DatabaseOf(host);

    private static Task<Account> AccountAsync(DemoHost host, string username) => PublishedRequests.AccountAsync(host, username);
}
