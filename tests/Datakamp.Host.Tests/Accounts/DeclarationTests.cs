using System.Net;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Events;
using Datakamp.Host.Tests.Admin;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.Host.Demo;
using Datakamp.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Accounts;

/// <summary>
/// The confidentiality declaration through the real host: a member who has not accepted the version in force cannot
/// start the sandbox or use the IDE, not through the team page and not through the direct URL or form post; after
/// accepting they can; a new version published with the admin verb holds them back again.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class DeclarationTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_member_who_has_not_accepted_is_refused_the_sandbox_and_the_IDE_and_after_accepting_uses_both()
    {
        // On Kestrel, as a browser reaches it; the sandbox really starts after the acceptance.
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        using var noord = await host.SignedInAsync("noord1", acceptDeclaration: false);

        using var teamPage = await noord.GetAsync("/team", Ct);
        using var submitPage = await noord.GetAsync("/team/submit", Ct);
        var token = DemoHost.FormToken(await noord.GetStringAsync("/declaration", Ct));
        using var start = await noord.PostAsync("/team?handler=Start", Form(token), Ct);
        using var ide = await noord.GetAsync("/ide/demo/noord/tree", Ct);
        using var ideApi = await noord.GetAsync("/ide/demo/noord/api/kernelspecs", Ct);

        Assert.Equal((HttpStatusCode.Redirect, "/declaration?returnUrl=%2Fteam"), (teamPage.StatusCode, teamPage.Headers.Location!.OriginalString));
        Assert.Equal((HttpStatusCode.Redirect, "/declaration?returnUrl=%2Fteam%2Fsubmit"), (submitPage.StatusCode, submitPage.Headers.Location!.OriginalString));
        foreach (var refused in new[] { start, ide, ideApi })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("confidentiality declaration at /declaration", await refused.Content.ReadAsStringAsync(Ct));
        }
        var noordTeam = await TeamIdAsync(host, "noord");
        Assert.Null(await new SandboxRepository(DatabaseOf(host)).FindAsync(noordTeam, Ct));   // the refused post started nothing

        // The page shows the text; without the tick nothing is recorded.
        var page = await noord.GetStringAsync("/declaration", Ct);
        Assert.Contains("I will not try to identify any person, household or business in these data", page);
        Assert.Contains("Version 1", page);
        var v1 = (await new DeclarationRepository(DatabaseOf(host)).CurrentAsync(await DemoEventIdAsync(host), Ct))!;
        using var unticked = await noord.PostAsync("/declaration", Form(DemoHost.FormToken(page), ("Version", "1"), ("Sha256", v1.Sha256)), Ct);
        Assert.Equal(HttpStatusCode.OK, unticked.StatusCode);
        Assert.Contains("Tick the box", await unticked.Content.ReadAsStringAsync(Ct));
        Assert.Equal(v1, await new DeclarationRepository(DatabaseOf(host)).DueForAsync(await AccountIdAsync(host, "noord1"), Ct));

        using var accepted = await noord.PostAsync("/declaration",
            Form(DemoHost.FormToken(page), ("Version", "1"), ("Sha256", v1.Sha256), ("Accept", "true"), ("ReturnUrl", "/team")), Ct);
        Assert.Equal((HttpStatusCode.Redirect, "/team"), (accepted.StatusCode, accepted.Headers.Location!.OriginalString));

        // Stored with the hash of exactly the text shown, and audited with it.
        var acceptance = (await new DeclarationRepository(DatabaseOf(host)).FindAcceptanceAsync(await AccountIdAsync(host, "noord1"), v1.EventId, 1, Ct))!;
        Assert.Equal(Declaration.HashOf(DemoDeclaration.Text), acceptance.Sha256);
        Assert.InRange(acceptance.AcceptedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        var audited = Assert.Single(await new AuditLog(DatabaseOf(host).DataSource).QueryAsync(new AuditQuery(Action: AuditActions.DeclarationAccepted), Ct));
        Assert.Equal(("team:demo/noord/noord1", "declaration", "1", noordTeam), (audited.Entry.Actor, audited.Entry.SubjectType, audited.Entry.SubjectId, audited.Entry.TeamId));
        Assert.Contains(v1.Sha256, audited.Entry.DetailsJson);

        // Now the team page, the start and the IDE are theirs.
        var team = await noord.GetStringAsync("/team", Ct);
        Assert.Contains("Start my sandbox", team);
        using var started = await DemoHost.PostFormAsync(noord, "/team?handler=Start", new(), formPage: "/team");
        Assert.Contains("Your sandbox is running.", await started.Content.ReadAsStringAsync(Ct));
        using var kernelspecs = await noord.GetAsync("/ide/demo/noord/api/kernelspecs", Ct);
        Assert.Equal(HttpStatusCode.OK, kernelspecs.StatusCode);
        Assert.Contains("python3", await kernelspecs.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_new_version_published_with_the_admin_verb_holds_every_member_back_until_they_accept_it_again()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var noord = await host.SignedInAsync("noord1");
        using var before = await noord.GetAsync("/ide/demo/noord/tree", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, before.StatusCode);   // through the gate: only the sandbox is not running
        var database = $"--Database:ConnectionString={host.Factory.Services.GetRequiredService<IConfiguration>()["Database:ConnectionString"]}";
        var file = Path.Combine(host.StatePath, "declaration-v2.txt");
        await File.WriteAllTextAsync(file, "\r\n" + DemoDeclaration.Text.Replace("\n", "\r\n") + "\r\n\r\nI report any suspected breach to the event staff at once.\r\n", Ct);

        var published = await AdminCommandTests.RunAsync("admin", "set-declaration", "--event", "demo", "--file", file, database);
        var again = await AdminCommandTests.RunAsync("admin", "set-declaration", "--event", "demo", "--file", file, database);
        var shown = await AdminCommandTests.RunAsync("admin", "show-declaration", "--event", "demo", database);
        var missing = await AdminCommandTests.RunAsync("admin", "set-declaration", "--event", "demo", "--file", file + ".nowhere", database);

        var v2 = (await new DeclarationRepository(DatabaseOf(host)).CurrentAsync(await DemoEventIdAsync(host), Ct))!;
        Assert.Equal(2, v2.Version);
        Assert.EndsWith("I know that every access to the data, every sandbox start and every output is recorded.\n\nI report any suspected breach to the event staff at once.", v2.Text);
        Assert.Equal((0, $"event demo: declaration version 2 published (sha256 {v2.Sha256}); every team member accepts it before their next sandbox start or IDE use"),
            (published.Exit, published.Output));
        Assert.Equal((0, "event demo: the declaration is unchanged; version 2 stays in force"), (again.Exit, again.Output));
        Assert.StartsWith($"event demo: declaration version 2, published {v2.PublishedAt:yyyy-MM-dd HH:mm} UTC by admin-cli:", shown.Output);
        Assert.Equal((64, $"datakamp: --file {file}.nowhere does not exist"), (missing.Exit, missing.Error));
        var publishedAudit = await new AuditLog(DatabaseOf(host).DataSource).QueryAsync(new AuditQuery(Action: AuditActions.DeclarationPublished), Ct);
        Assert.Equal(["2", "1"], publishedAudit.Select(r => r.Entry.SubjectId));

        // The same signed-in member, accepted version 1: held back again at once, on the page and at the direct URLs.
        using var teamPage = await noord.GetAsync("/team", Ct);
        using var ide = await noord.GetAsync("/ide/demo/noord/tree", Ct);
        using var start = await noord.PostAsync("/team?handler=Start", Form(DemoHost.FormToken(await noord.GetStringAsync("/declaration", Ct))), Ct);
        Assert.Equal((HttpStatusCode.Redirect, "/declaration?returnUrl=%2Fteam"), (teamPage.StatusCode, teamPage.Headers.Location!.OriginalString));
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (ide.StatusCode, start.StatusCode));
        Assert.Contains("I report any suspected breach", await noord.GetStringAsync("/declaration", Ct));

        await DemoHost.AcceptDeclarationAsync(noord);
        using var after = await noord.GetAsync("/ide/demo/noord/tree", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await noord.GetAsync("/team", Ct)).StatusCode);
        var accepted = await new AuditLog(DatabaseOf(host).DataSource).QueryAsync(new AuditQuery(Action: AuditActions.DeclarationAccepted), Ct);
        Assert.Equal(["2", "1"], accepted.Select(r => r.Entry.SubjectId));
        Assert.Equal(v2.Sha256, (await new DeclarationRepository(DatabaseOf(host)).FindAcceptanceAsync(await AccountIdAsync(host, "noord1"), v2.EventId, 2, Ct))!.Sha256);
    }

    [Fact]
    public async Task Staff_and_output_checkers_are_not_team_members_and_are_not_held_back_by_the_declaration()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var anna = await host.SignedInAsync("anna", acceptDeclaration: false);
        using var chris = await host.SignedInAsync("chris", acceptDeclaration: false);

        Assert.Equal(HttpStatusCode.OK, (await anna.GetAsync("/staff/sandboxes", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await chris.GetAsync("/checker", Ct)).StatusCode);
        // The declaration page is for team members only: the others have nothing to accept.
        Assert.Contains("/denied", (await anna.GetAsync("/declaration", Ct)).Headers.Location!.OriginalString);
        Assert.Contains("/denied", (await chris.GetAsync("/declaration", Ct)).Headers.Location!.OriginalString);
        foreach (var who in new[] { "anna", "chris" })
            Assert.Null(await new DeclarationRepository(DatabaseOf(host)).DueForAsync(await AccountIdAsync(host, who), Ct));
    }

    private static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token)));

    private static Database DatabaseOf(DemoHost host) => host.Factory.Services.GetRequiredService<Database>();

    private static async Task<long> DemoEventIdAsync(DemoHost host) =>
        (await new EventRepository(DatabaseOf(host)).FindEventAsync(Slug.Parse("demo", "event"), Ct))!.Id;

    private static async Task<long> TeamIdAsync(DemoHost host, string team) =>
        (await new EventRepository(DatabaseOf(host)).ListTeamsAsync(await DemoEventIdAsync(host), Ct)).Single(t => t.Slug.Value == team).Id;

    private static async Task<long> AccountIdAsync(DemoHost host, string username) =>
        (await new AccountRepository(DatabaseOf(host)).FindForSignInAsync(username, Ct))!.Account.Id;
}
