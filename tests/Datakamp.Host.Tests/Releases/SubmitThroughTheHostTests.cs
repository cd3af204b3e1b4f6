using System.Net;
using System.Text.RegularExpressions;
using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Releases;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.Releases;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// Issue 11 end to end with the real host, PostgreSQL and engine: a team's helper writes a table inside its sandbox,
/// the team submits it through the HTTP form, the check worker flags a cell, and the team's page shows that cell with
/// its rule and numbers. Bad input in the same request is named on the page while the other files are still checked.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed partial class SubmitThroughTheHostTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_helper_table_submitted_through_the_form_shows_its_failing_cell_with_rule_and_numbers_on_the_team_page()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        using var noord = await host.SignedInAsync("noord1");
        using (var started = await DemoHost.PostFormAsync(noord, "/team?handler=Start", [], "/team"))
            Assert.Contains("Your sandbox is running.", await started.Content.ReadAsStringAsync(Ct));

        // 300 persons over 12 districts and 10 age bands: many cells hold fewer than 10 persons.
        await host.RunPythonInSandboxAsync("noord", """
            import pandas as pd, datakamp
            persons = pd.read_csv("/data/persons.csv", dtype=str)
            datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", cols="age_band",
                              name="by_district_age", description="Persons by district and age band.")
            """);

        var form = await noord.GetStringAsync("/team/submit", Ct);
        Assert.Contains("by_district_age.csv", form);
        Assert.Contains("Persons by district and age band.", form);     // the helper's description, beside its table
        var key = DemoHost.SubmissionKeyOf(form);
        var fields = new Dictionary<string, string> { ["Purpose"] = "Poverty by district", ["SubmissionKey"] = key };
        using var submitted = await PostSelectionAsync(noord, form, fields, ["by_district_age.csv", "by_district_age.spec.yaml", "by_district_age.description.txt"]);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var location = submitted.Headers.Location!.ToString();
        Assert.Matches(@"^/team/requests/\d+$", location);

        // A second post of the same form (a double click, a reload) is the same request.
        using var again = await PostSelectionAsync(noord, form, fields, ["by_district_age.csv", "by_district_age.spec.yaml", "by_district_age.description.txt"]);
        Assert.Equal(location, again.Headers.Location!.ToString());

        var page = await WaitUntilCheckedAsync(noord, location);
        Assert.Contains("checked: waiting for an output checker", page);
        Assert.Contains("fail: not releasable as it is", page);
        var cell = FailingCell().Match(page);
        Assert.True(cell.Success, "the team's page names a failing cell with its rule and numbers");
        Assert.Contains("suppress (unsafe itself)", page);
        Assert.DoesNotContain("feasible", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Bad_files_of_one_request_are_named_in_words_and_the_others_are_still_checked()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        using var noord = await host.SignedInAsync("noord1");
        using (await DemoHost.PostFormAsync(noord, "/team?handler=Start", [], "/team")) { }
        await host.RunPythonInSandboxAsync("noord", """
            import pandas as pd, datakamp, re
            persons = pd.read_csv("/data/persons.csv", dtype=str)
            datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", name="ok", description="Persons by district.")
            datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="sex", name="theirs", description="By sex.")
            spec = re.sub(r"^dataset: .*$", "dataset: households", open("/outbox/theirs.spec.yaml").read(), flags=re.M)
            open("/outbox/theirs.spec.yaml", "w").write(spec)
            datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="sex", name="broken", description="By sex.")
            spec = open("/outbox/broken.spec.yaml").read()
            open("/outbox/broken.spec.yaml", "w").write(spec + "filter: 'income >> 10'\n")
            open("/outbox/latin1.csv", "wb").write(b"sex,value\nf\xe9,1\n")
            open("/outbox/plot.svg", "w").write('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
            open("/outbox/huge.txt", "w").write("x" * 11000000)
            """);

        var form = await noord.GetStringAsync("/team/submit", Ct);
        Assert.Contains("at most 10,000,000 bytes per file", form);     // the file over the cap, named before submitting
        var fields = new Dictionary<string, string> { ["Purpose"] = "Bad input", ["SubmissionKey"] = DemoHost.SubmissionKeyOf(form) };
        string[] chosen = ["ok.csv", "ok.spec.yaml", "theirs.csv", "theirs.spec.yaml", "broken.csv", "broken.spec.yaml", "latin1.csv", "plot.svg"];

        // Selecting the file over the cap refuses the submission, with the reason next to that file.
        using (var refused = await PostSelectionAsync(noord, form, fields, [.. chosen, "huge.txt"]))
        {
            var html = await refused.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Nothing was submitted", html);
            Assert.Matches(@"huge\.txt</code>[\s\S]*?at most 10000000 bytes per file", html);
        }

        using var submitted = await PostSelectionAsync(noord, form, fields, chosen);
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var page = WebUtility.HtmlDecode(await WaitUntilCheckedAsync(noord, submitted.Headers.Location!.ToString()));

        Assert.Contains("dataset 'households' is not granted to this team (granted: persons)", page);
        Assert.Matches(@"broken\.csv[\s\S]*?filter", page);
        Assert.Contains("latin1.csv is not valid UTF-8 text", page);
        Assert.Contains("The SVG contains line 1: a <script> element", page);
        Assert.Matches(@"ok\.csv</code>[\s\S]*?Automated check: <span class=""check"">(pass|fail|review)", page);   // still checked
    }

    [Fact]
    public async Task The_submit_page_names_every_outbox_entry_intake_would_refuse_next_to_it_in_words()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        using var noord = await host.SignedInAsync("noord1");
        using (await DemoHost.PostFormAsync(noord, "/team?handler=Start", [], "/team")) { }
        await host.RunPythonInSandboxAsync("noord", """
            import os
            os.chdir("/outbox")
            os.symlink("/data/persons.csv", "link.csv")
            os.mkfifo("pipe.csv")
            os.mkdir("folder.csv")
            open("tool.exe", "w").write("x")
            open("bad\nname.csv", "w").write("x")
            open("<script>.csv", "w").write("x")
            open("fine.csv", "w").write("a,1\n")
            """);

        var page = WebUtility.HtmlDecode(await noord.GetStringAsync("/team/submit", Ct));

        Assert.Matches(@"link\.csv</code>\s*<div class=""error"">This is a symbolic link", page);
        Assert.Matches(@"pipe\.csv</code>\s*<div class=""error"">This is a named pipe \(FIFO\)", page);
        Assert.Matches(@"folder\.csv</code>\s*<div class=""error"">This is a folder", page);
        Assert.Matches(@"tool\.exe</code>\s*<div class=""error"">This kind of file cannot be released", page);
        Assert.Matches(@"bad\\nname\.csv</code>\s*<div class=""error"">The name is not a plain file name", page);
        Assert.Contains("value=\"fine.csv\"", page);                                    // the one file that can be selected
        Assert.DoesNotContain("value=\"link.csv\"", page);
        // The team's names are shown encoded, never as markup.
        Assert.DoesNotContain("<script>.csv", await noord.GetStringAsync("/team/submit", Ct));
    }

    [Fact]
    public async Task A_returned_request_shows_the_checkers_comment_and_a_resubmitted_version_keeps_the_first_in_its_history()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        using var noord = await host.SignedInAsync("noord1");
        using (await DemoHost.PostFormAsync(noord, "/team?handler=Start", [], "/team")) { }
        const string table = """
            import pandas as pd, datakamp
            persons = pd.read_csv("/data/persons.csv", dtype=str)
            datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", cols=COLS, name="t", description="Persons by district.")
            """;
        await host.RunPythonInSandboxAsync("noord", table.Replace("COLS", "\"age_band\"", StringComparison.Ordinal));
        string[] files = ["t.csv", "t.spec.yaml", "t.description.txt"];
        var form = await noord.GetStringAsync("/team/submit", Ct);
        using var submitted = await PostSelectionAsync(noord, form, new() { ["Purpose"] = "Persons by district", ["SubmissionKey"] = DemoHost.SubmissionKeyOf(form) }, files);
        var location = submitted.Headers.Location!.ToString();
        await WaitUntilCheckedAsync(noord, location);

        // Both output checkers of the demo event vote: one returns the table with a comment, the stricter decision holds.
        var services = host.Factory.Services;
        var workflow = services.GetRequiredService<ReleaseWorkflow>();
        var accounts = new AccountRepository(services.GetRequiredService<Database>());
        var id = long.Parse(location.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (checker, decision, comment) in new[] { ("chris", FileDecision.Return, "Too many small cells: drop the age bands and resubmit."), ("dana", FileDecision.Approve, "Fine by me.") })
        {
            var account = (await accounts.FindForSignInAsync(checker, Ct))!.Account;
            await workflow.OpenForReviewAsync(account, $"checker:{checker}", id, Ct);
            await workflow.VoteAsync(account, $"checker:{checker}", id, new Dictionary<string, FileReview>
            {
                ["t.csv"] = new(decision, comment),
                ["t.spec.yaml"] = new(decision, "Goes with t.csv."),
                ["t.description.txt"] = new(FileDecision.Approve, "Fine."),
            }, Ct);
        }

        var returned = WebUtility.HtmlDecode(await noord.GetStringAsync(location, Ct));
        Assert.Contains("returned: change and resubmit", returned);
        Assert.Contains("Checker 1: <strong>returned for changes</strong>: Too many small cells: drop the age bands and resubmit.", returned);
        Assert.Contains("Resubmit a new version", returned);
        Assert.Contains("Checker 2: <strong>approved</strong>: Fine by me.", returned);
        Assert.DoesNotContain("chris", returned);     // the team sees the decisions, not who made them
        Assert.DoesNotContain("dana", returned);

        await host.RunPythonInSandboxAsync("noord", table.Replace("COLS", "None", StringComparison.Ordinal));
        var page = await noord.GetStringAsync(location, Ct);
        var pairs = files.Select(f => KeyValuePair.Create("Files", f)).Append(KeyValuePair.Create("__RequestVerificationToken", DemoHost.FormToken(page)));
        using (var resubmitted = await noord.PostAsync($"{location}?handler=Resubmit", new FormUrlEncodedContent(pairs), Ct))
            Assert.Contains("A new version is submitted", await resubmitted.Content.ReadAsStringAsync(Ct));

        var after = WebUtility.HtmlDecode(await WaitUntilCheckedAsync(noord, location));
        Assert.Contains("Version 2 (current)", after);
        Assert.Contains("Version 1", after);
        Assert.Contains("Too many small cells: drop the age bands and resubmit.", after);   // the first version's review stays
        Assert.Contains("checked: waiting for an output checker", after);
    }

    private static Task<HttpResponseMessage> PostSelectionAsync(HttpClient client, string form, Dictionary<string, string> fields, IEnumerable<string> files)
    {
        var token = DemoHost.FormToken(form);
        var pairs = fields.Select(f => KeyValuePair.Create(f.Key, f.Value))
            .Concat(files.Select(f => KeyValuePair.Create("Files", f)))
            .Append(KeyValuePair.Create("__RequestVerificationToken", token));
        return client.PostAsync("/team/submit", new FormUrlEncodedContent(pairs), Ct);
    }

    /// <summary>The request page once the automated check has run (the worker is woken at submit; polling is its fallback).</summary>
    private static async Task<string> WaitUntilCheckedAsync(HttpClient client, string location)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var page = await client.GetStringAsync(location, Ct);
            if (!page.Contains("submitted: the automated check is running", StringComparison.Ordinal)) return page;
            Assert.True(DateTime.UtcNow < deadline, "the automated check did not finish within 90 s");
            await Task.Delay(250, Ct);
        }
    }



    [GeneratedRegex(@"<td>district [^<]+, age_band [^<]+</td><td>fail</td><td>\d+ units? in this cell, fewer than the minimum of 10\.")]
    private static partial Regex FailingCell();
}
