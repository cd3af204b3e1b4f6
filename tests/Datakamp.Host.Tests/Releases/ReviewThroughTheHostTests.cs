using System.Net;
using System.Text.RegularExpressions;
using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Host.Accounts;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// The checkers' half through the real host: the queue, the review page with the recomputed grid and its flagged cells,
/// two blind votes, and a checker who belongs to the team refused by every route.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed partial class ReviewThroughTheHostTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Two_checkers_review_blind_from_the_queue_and_the_stricter_decision_holds()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        var location = await SubmitFlaggedTableAsync(host);
        var page = $"/checker{location["/team".Length..]}";

        using var chris = await host.SignedInAsync("chris");
        using var dana = await host.SignedInAsync("dana");
        var queue = await chris.GetStringAsync("/checker", Ct);
        Assert.Contains($"href=\"{page}\"", queue);
        Assert.Contains("not yet", queue);

        var review = WebUtility.HtmlDecode(await chris.GetStringAsync(page, Ct));
        Assert.Single(Regex.Matches(review, "<table class=\"grid\">"));                       // under t.csv, not again under its spec
        Assert.Matches(@"class=""cell-fail""[^>]*>✖ \d", review);                                  // colour AND symbol
        Assert.Matches(@"threshold: \d+ units? in this cell, fewer than the minimum of 10\. \(n \d+, min_units 10\)", review);

        using (var voted = await VoteAsync(chris, page, review, "approve", "Looks safe to me."))
            Assert.Contains("when the other checker has voted too", await voted.Content.ReadAsStringAsync(Ct));

        // Blind: dana's page and answers hold nothing of chris's vote until she has voted.
        var danaBefore = WebUtility.HtmlDecode(await dana.GetStringAsync(page, Ct));
        Assert.DoesNotContain("Looks safe to me.", danaBefore);
        Assert.DoesNotContain("The other checker", danaBefore);
        Assert.DoesNotContain("Your vote", danaBefore);
        string afterBoth;
        using (var voted = await VoteAsync(dana, page, danaBefore, "return", "Too many small cells; use wider age bands."))
            afterBoth = WebUtility.HtmlDecode(await voted.Content.ReadAsStringAsync(Ct));

        Assert.Contains("the request is returned to the team for changes", afterBoth);          // return is stricter than approve
        Assert.Contains("The other checker: <strong>approved</strong>: Looks safe to me.", afterBoth);
        Assert.Contains("Your vote: <strong>returned for changes</strong>: Too many small cells; use wider age bands.", afterBoth);
    }

    [Fact]
    public async Task A_checker_who_is_a_member_of_the_team_is_refused_on_every_route_of_its_request()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        var location = await SubmitFlaggedTableAsync(host);
        var page = $"/checker{location["/team".Length..]}";
        using var nora = await SignedInNewCheckerOfNoordAsync(host);

        var queue = await nora.GetStringAsync("/checker", Ct);
        using var get = await nora.GetAsync(page, Ct);
        var token = DemoHost.FormToken(await nora.GetStringAsync("/team", Ct));      // a form token of nora's own
        using var post = await nora.PostAsync($"{page}?handler=Vote", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Ct);

        Assert.DoesNotContain(page, queue);
        Assert.Equal(HttpStatusCode.Redirect, get.StatusCode);             // the cookie scheme's Forbid: to the access-denied page
        Assert.Contains("denied", get.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains("denied", post.Headers.Location!.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    internal static Task<string> SubmitFlaggedTableAsync(DemoHost host) =>
        SubmitFromSandboxAsync(host, """
            import pandas as pd, datakamp
            persons = pd.read_csv("/data/persons.csv", dtype=str)
            datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", cols="sex", name="t", description="Persons by district and sex.")
            """, "Persons by district and sex", ["t.csv", "t.spec.yaml", "t.description.txt"]);

    /// <summary>Noord starts its sandbox, runs <paramref name="python"/> in it, submits <paramref name="files"/> and waits for the check; the request's team page.</summary>
    internal static async Task<string> SubmitFromSandboxAsync(DemoHost host, string python, string purpose, IReadOnlyList<string> files)
    {
        using var noord = await host.SignedInAsync("noord1");
        using (await DemoHost.PostFormAsync(noord, "/team?handler=Start", [], "/team")) { }
        await host.RunPythonInSandboxAsync("noord", python);
        var form = await noord.GetStringAsync("/team/submit", Ct);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Purpose", purpose), new("SubmissionKey", DemoHost.SubmissionKeyOf(form)), new("__RequestVerificationToken", DemoHost.FormToken(form)),
        };
        fields.AddRange(files.Select(f => KeyValuePair.Create("Files", f)));
        using var submitted = await noord.PostAsync("/team/submit", new FormUrlEncodedContent(fields), Ct);
        var location = submitted.Headers.Location!.ToString();
        for (var i = 0; i < 360 && (await noord.GetStringAsync(location, Ct)).Contains("the automated check is running", StringComparison.Ordinal); i++)
            await Task.Delay(250, Ct);
        return location;
    }

    internal static async Task<HttpResponseMessage> VoteAsync(HttpClient checker, string page, string html, string decision, string comment)
    {
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", DemoHost.FormToken(html)) };
        foreach (var file in new[] { "t.csv", "t.spec.yaml", "t.description.txt" })
        {
            fields.Add(new($"Decision[{file}]", decision));
            fields.Add(new($"Comment[{file}]", comment));
        }
        return await checker.PostAsync($"{page}?handler=Vote", new FormUrlEncodedContent(fields), Ct);
    }

    internal static async Task<HttpClient> SignedInNewCheckerOfNoordAsync(DemoHost host)
    {
        var database = host.Factory.Services.GetRequiredService<Database>();
        var events = new EventRepository(database);
        var demo = (await events.FindEventAsync(Domain.Slug.Parse("demo", "event"), Ct))!;
        var noord = (await events.ListTeamsAsync(demo.Id, Ct)).Single(t => t.Slug.Value == "noord");
        var accounts = new AccountRepository(database);
        var nora = await accounts.CreateAsync("nora", "Nora (checker and member of Noord)", false, true, noord.Id, Ct);
        const string password = "a long enough password for nora";
        await accounts.SetPasswordHashAsync(nora.Id, SignInService.HashPassword(nora, password), Ct);
        var client = host.NewClient();
        using var signIn = await DemoHost.PostFormAsync(client, "/signin", new() { ["username"] = "nora", ["password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        await DemoHost.AcceptDeclarationAsync(client);
        return client;
    }


}
