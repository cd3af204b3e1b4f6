using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Dapper;
using Datakamp.Data;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;
using Datakamp.Releases;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// The end of the release path through the real host, PostgreSQL and engine: a flagged table returned, a safe version
/// resubmitted, approved by both checkers, on the presentation and in a bundle whose manifest matches the stored bytes;
/// the host's own table for "approve with suppression"; altered bytes never served; revoked and unknown publications a
/// clear 404.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class PresentationThroughTheHostTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly string[] Files = ["t.csv", "t.spec.yaml", "t.description.txt"];

    private Task<DemoHost> StartAsync() => DemoHost.StartWithSandboxImageAsync(postgres, docker);

    [Fact]
    public async Task A_returned_table_resubmitted_safe_and_approved_by_both_checkers_is_on_the_presentation_and_in_a_bundle_that_matches_the_store()
    {
        await using var host = await StartAsync();
        var location = await ReviewThroughTheHostTests.SubmitFlaggedTableAsync(host);
        var review = $"/checker{location["/team".Length..]}";
        using var chris = await host.SignedInAsync("chris");
        using var dana = await host.SignedInAsync("dana");
        using var noord = await host.SignedInAsync("noord1");

        // Version 1: district x sex has small cells; one checker returns it, which holds over the other's approval.
        using (await ReviewThroughTheHostTests.VoteAsync(chris, review, await chris.GetStringAsync(review, Ct), "return", "Cells under 10: publish districts only.")) { }
        using (await ReviewThroughTheHostTests.VoteAsync(dana, review, await dana.GetStringAsync(review, Ct), "approve", "Fine.")) { }
        Assert.Contains("returned: change and resubmit", await noord.GetStringAsync(location, Ct));

        // Version 2: the team's safe table, districts only.
        await host.RunPythonInSandboxAsync("noord", """
            import pandas as pd, datakamp
            persons = pd.read_csv("/data/persons.csv", dtype=str)
            datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", name="t", description="Persons by district.")
            """);
        var page = await noord.GetStringAsync(location, Ct);
        var pairs = Files.Select(f => KeyValuePair.Create("Files", f)).Append(KeyValuePair.Create("__RequestVerificationToken", DemoHost.FormToken(page)));
        using (await noord.PostAsync($"{location}?handler=Resubmit", new FormUrlEncodedContent(pairs), Ct)) { }
        for (var i = 0; i < 360 && (await noord.GetStringAsync(location, Ct)).Contains("the automated check is running", StringComparison.Ordinal); i++)
            await Task.Delay(250, Ct);
        using (await ReviewThroughTheHostTests.VoteAsync(chris, review, await chris.GetStringAsync(review, Ct), "approve", "Every district has enough persons.")) { }
        using (await ReviewThroughTheHostTests.VoteAsync(dana, review, await dana.GetStringAsync(review, Ct), "approve", "Safe.")) { }
        Assert.Contains("published: on the presentation", await noord.GetStringAsync(location, Ct));

        var presentation = WebUtility.HtmlDecode(await noord.GetStringAsync("/presentation/demo", Ct));
        var team = WebUtility.HtmlDecode(await noord.GetStringAsync("/presentation/demo/teams/noord", Ct));
        Assert.Contains("Team Noord", presentation);
        Assert.Contains("<table class=\"released\">", team);
        Assert.Contains("Persons by district and sex", team);                       // the request's purpose describes it
        Assert.Contains("Persons by district.", team);                              // the description file, shown as text

        using var bundle = await noord.GetAsync("/presentation/demo/bundle", Ct);
        Assert.Equal("application/zip", bundle.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await bundle.Content.ReadAsByteArrayAsync(Ct)), ZipArchiveMode.Read);
        var manifest = BundleManifest.Parse(await ReadAsync(zip.GetEntry("manifest.json")!))!;
        var id = long.Parse(location.Split('/').Last(), CultureInfo.InvariantCulture);
        var stored = (await new ReleaseRepository(Database(host)).FindAsync(id, Ct))!;
        Assert.Equal(2, stored.Request.Version);
        Assert.Equal(Files.Order(StringComparer.Ordinal), manifest.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var entry in manifest.Files)
        {
            var bytes = await ReadAsync(zip.GetEntry(entry.Path)!);
            Assert.Equal(entry.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));                  // the zip holds what the manifest says
            Assert.Equal(stored.CurrentFiles.Single(f => f.Name == entry.Name).Sha256, entry.Sha256);    // which is what was checked and approved
            Assert.Equal((id, 2, "as_submitted"), (entry.RequestId, entry.Version, entry.Form));
            Assert.Equal(["chris", "dana"], entry.Approvers.Order(StringComparer.Ordinal));
            Assert.NotNull(entry.ApprovedAt);
        }
        var table = manifest.Files.Single(f => f.Name == "t.csv");
        Assert.Equal("cbs-persons", table.Policy!.Name);
        Assert.Matches("^[0-9a-f]{64}$", table.VerdictId);
        Assert.Equal(["presentation_bundle"], await DownloadsAsync(host));
    }

    [Fact]
    public async Task Approved_with_suppression_the_presentation_shows_the_hosts_table_and_altered_or_revoked_outputs_are_never_served()
    {
        await using var host = await StartAsync();
        var location = await ReviewThroughTheHostTests.SubmitFlaggedTableAsync(host);
        var id = long.Parse(location.Split('/').Last(), CultureInfo.InvariantCulture);
        var published = await DecideThroughTheWorkflowAsync(host, id, FileDecision.ApproveWithSuppression);
        Assert.Equal(ReleaseState.Published, published.Request.State);
        using var zuid = await host.SignedInAsync("zuid1");                                     // another team of the event sees it too

        var team = WebUtility.HtmlDecode(await zuid.GetStringAsync("/presentation/demo/teams/noord", Ct));
        var hostTable = published.Publication!.Outputs.Single(o => o.Name == "t.csv");
        Assert.Equal(OutputForm.SuppressedByHost, hostTable.Form);
        Assert.Contains("<th>suppressed</th>", team);
        Assert.Contains("<td>x</td>", team);
        Assert.Contains("cells marked x were suppressed", team);
        using (var csv = await zuid.GetAsync($"/presentation/demo/teams/noord/files/{id}/t.csv?download=1", Ct))
        {
            Assert.Equal("attachment", csv.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("nosniff", csv.Headers.GetValues("X-Content-Type-Options").Single());
            var text = await csv.Content.ReadAsStringAsync(Ct);
            Assert.StartsWith("district,sex,count,suppressed\n", text);
            Assert.Contains(",x\n", text);
        }

        // Altered on the host's disk: never served, not in a bundle, and staff are told.
        var description = published.Publication.Outputs.Single(o => o.Name == "t.description.txt");
        var path = Store(host).PathFor(description.Sha256);
        var original = await File.ReadAllBytesAsync(path, Ct);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllTextAsync(path, "ALTERED after publication", Ct);
        using (var file = await zuid.GetAsync($"/presentation/demo/teams/noord/files/{id}/t.description.txt", Ct))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, file.StatusCode);
            var body = await file.Content.ReadAsStringAsync(Ct);
            Assert.Contains("no longer matches its recorded SHA-256", body);
            Assert.DoesNotContain("ALTERED", body);
        }
        using (var bundle = await zuid.GetAsync("/presentation/demo/bundle/noord", Ct))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, bundle.StatusCode);
            Assert.Contains("The bundle was not made", await bundle.Content.ReadAsStringAsync(Ct));
        }
        Assert.DoesNotContain("ALTERED", await zuid.GetStringAsync("/presentation/demo/teams/noord", Ct));
        Assert.Contains(AuditActions.ReleaseContentMismatch, await AuditActionsAsync(host));
        Assert.Equal(["release_request"], await DownloadsAsync(host));           // the one CSV download; the bundle that was not made is not one
        await File.WriteAllBytesAsync(path, original, Ct);

        // Revoked by staff: gone from the pages and the bundles, a clear 404; as for what never existed.
        var anna = (await new AccountRepository(Database(host)).FindForSignInAsync("anna", Ct))!.Account;
        await host.Factory.Services.GetRequiredService<ReleaseWorkflow>().RevokeAsync(anna, "staff:anna", id, "A cell of the table identifies a person.", Ct);
        foreach (var gone in new[]
                 {
                     "/presentation/demo/teams/noord", $"/presentation/demo/teams/noord/files/{id}/t.csv", "/presentation/demo/bundle",
                     "/presentation/demo/bundle/noord", "/presentation/demo/bundle/nobody", $"/presentation/demo/teams/noord/files/{id + 99}/t.csv",
                     "/presentation/demo/show/1", "/presentation/nowhere",
                 })
        {
            using var answer = await zuid.GetAsync(gone, Ct);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Contains("There is no publication in force here: it was never published, or staff have revoked it.", await answer.Content.ReadAsStringAsync(Ct));
        }
        Assert.Contains("Nothing is published yet.", await zuid.GetStringAsync("/presentation/demo", Ct));
        using var noord = await host.SignedInAsync("noord1");
        Assert.Contains("Reason: A cell of the table identifies a person.", WebUtility.HtmlDecode(await noord.GetStringAsync(location, Ct)));   // the team is told why
    }

    [Fact]
    public async Task Presentation_mode_shows_one_team_per_screen_with_next_and_previous()
    {
        await using var host = await StartAsync();
        var location = await ReviewThroughTheHostTests.SubmitFlaggedTableAsync(host);
        await DecideThroughTheWorkflowAsync(host, long.Parse(location.Split('/').Last(), CultureInfo.InvariantCulture), FileDecision.ApproveWithSuppression);
        using var anna = await host.SignedInAsync("anna");
        using var signedOut = host.NewClient();

        var first = WebUtility.HtmlDecode(await anna.GetStringAsync("/presentation/demo/show/1", Ct));
        using var outside = await signedOut.GetAsync("/presentation/demo/show/1", Ct);

        Assert.Contains("team 1 of 1", first);
        Assert.Contains("<h1 class=\"team\">Team Noord</h1>", first);
        Assert.DoesNotContain("id=\"next\"", first);
        Assert.DoesNotContain("id=\"previous\"", first);
        Assert.Equal(HttpStatusCode.Redirect, outside.StatusCode);                               // signed out: to the sign-in page
        Assert.Contains("/signin", outside.Headers.Location!.ToString());
    }

    /// <summary>Both demo checkers decide every file through the workflow: t.csv as given, the other files approved.</summary>
    internal static async Task<ReleaseRecord> DecideThroughTheWorkflowAsync(DemoHost host, long id, FileDecision table)
    {
        var workflow = host.Factory.Services.GetRequiredService<ReleaseWorkflow>();
        var accounts = new AccountRepository(Database(host));
        ReleaseRecord? after = null;
        foreach (var checker in new[] { "chris", "dana" })
        {
            var account = (await accounts.FindForSignInAsync(checker, Ct))!.Account;
            await workflow.OpenForReviewAsync(account, $"checker:{checker}", id, Ct);
            after = await workflow.VoteAsync(account, $"checker:{checker}", id, new Dictionary<string, FileReview>
            {
                ["t.csv"] = new(table, "Small cells suppressed by the host."),
                ["t.spec.yaml"] = new(FileDecision.Approve, "Goes with t.csv."),
                ["t.description.txt"] = new(FileDecision.Approve, "Fine."),
            }, Ct);
        }
        return after!;
    }

    private static Database Database(DemoHost host) => host.Factory.Services.GetRequiredService<Database>();

    private static ContentStore Store(DemoHost host) => host.Factory.Services.GetRequiredService<ContentStore>();

    private static async Task<List<string>> AuditActionsAsync(DemoHost host)
    {
        await using var connection = await Database(host).DataSource.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<string>("SELECT action FROM audit_events ORDER BY seq")).ToList();
    }

    /// <summary>The subject types of the audited downloads: a single file ("release_request") or a bundle ("presentation_bundle").</summary>
    private static async Task<List<string>> DownloadsAsync(DemoHost host)
    {
        await using var connection = await Database(host).DataSource.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<string>("SELECT subject_type FROM audit_events WHERE action = @action ORDER BY seq",
            new { action = AuditActions.PublicationDownloaded })).ToList();
    }

    private static async Task<byte[]> ReadAsync(ZipArchiveEntry entry)
    {
        await using var stream = await entry.OpenAsync(Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
