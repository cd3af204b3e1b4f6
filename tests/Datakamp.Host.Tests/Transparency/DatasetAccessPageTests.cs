using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Releases;
using Datakamp.Host.Ide;
using Datakamp.Host.Tests.Releases;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Transparency;

/// <summary>"Who used my data": the staff page of one dataset shows exactly the accesses the test made, through the real host and engine.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed partial class DatasetAccessPageTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task The_dataset_page_shows_exactly_the_grants_sandbox_starts_ide_sessions_and_published_outputs_the_test_made()
    {
        await using var host = await DemoHost.StartWithSandboxImageAsync(postgres, docker);
        var location = await ReviewThroughTheHostTests.SubmitFlaggedTableAsync(host);          // noord1 starts Noord's sandbox once
        using var noord = await host.SignedInAsync("noord1");
        using (var ide = await noord.GetAsync("/ide/demo/noord/api/kernelspecs", Ct)) Assert.Equal(HttpStatusCode.OK, ide.StatusCode);   // one IDE session
        using (await DemoHost.PostFormAsync(noord, "/team?handler=Stop", [], "/team")) { }
        await host.Factory.Services.GetRequiredService<IdeSessionAudit>().CloseEndedAsync(Ct);
        await PresentationThroughTheHostTests.DecideThroughTheWorkflowAsync(host, long.Parse(location.Split('/').Last(), CultureInfo.InvariantCulture), FileDecision.ApproveWithSuppression);
        var database = host.Factory.Services.GetRequiredService<Database>();
        var demo = (await new EventRepository(database).FindEventAsync(Domain.Slug.Parse("demo", "event"), Ct))!;
        var persons = (await new DatasetRepository(database).ListAsync(demo.Id, Ct)).Single(d => d.Name == "persons");
        using var anna = await host.SignedInAsync("anna");
        // Zuid's grant ends early: the page keeps it, with its start and its end.
        var zuid = (await new EventRepository(database).ListTeamsAsync(demo.Id, Ct)).Single(t => t.Slug.Value == "zuid");
        var today = Domain.Datasets.GrantCalendar.Today(TimeProvider.System);
        Assert.NotNull(await new DatasetRepository(database).RevokeAsync(persons.Id, zuid.Id,
            new Domain.Datasets.GrantRevocation(DateTimeOffset.UtcNow, "staff:anna", "The team's question is answered."), today, Ct));

        var page = WebUtility.HtmlDecode(await anna.GetStringAsync($"/staff/datasets/{persons.Id}", Ct));

        var grants = RowsOf(page, "grants").OrderBy(r => r[0]).ToList();
        Assert.Equal(["Team Noord", "Team Zuid"], grants.Select(r => r[0]));                              // both demo teams were granted it
        Assert.Equal(("no end", ""), (grants[0][4], grants[0][5]));
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d by staff:anna: The team's question is answered\.$", grants[1][5]);
        var start = Assert.Single(RowsOf(page, "starts"));
        Assert.Equal(["Team Noord", "team:demo/noord/noord1"], start[1..]);
        var session = Assert.Single(RowsOf(page, "sessions"));
        Assert.Equal(["Team Noord", "team:demo/noord/noord1", "the sandbox stopped"], session[2..]);
        var outputs = RowsOf(page, "outputs");
        Assert.Contains(outputs, o => o[1] == "Team Noord" && o[2] == "t.csv" && o[5] == "");              // the host's table, not revoked
        Assert.All(outputs, o => Assert.Equal("Team Noord", o[1]));
        Assert.Contains($"href=\"/staff/datasets/{persons.Id}\"", await anna.GetStringAsync("/staff/datasets", Ct));
    }

    /// <summary>The cells of each body row of the table with <paramref name="id"/>, as text.</summary>
    private static List<string[]> RowsOf(string html, string id)
    {
        var table = Regex.Match(html, $"<table id=\"{id}\">.*?<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        Assert.True(table.Success, $"no table {id}");
        return Row().Matches(table.Groups[1].Value)
            .Select(r => Cell().Matches(r.Groups[1].Value).Select(c => Regex.Replace(c.Groups[1].Value, "<[^>]+>", "").Trim()).ToArray()).ToList();
    }

    [GeneratedRegex("<tr>(.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<td>(.*?)</td>", RegexOptions.Singleline)]
    private static partial Regex Cell();
}
