using System.Net;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Releases;

/// <summary>The public data-use register through the real host: readable signed out, datasets, purposes, teams and published results, no people.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class DataUseRegisterTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Signed_out_anyone_reads_which_data_was_used_by_which_team_for_what_and_what_was_published_without_any_names_of_people()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var before = WebUtility.HtmlDecode(await host.NewClient().GetStringAsync("/register/demo", Ct));
        await PublishedRequests.NoteAsync(host, "Mean income by district: all cells of 10 or more.\n");

        using var anonymous = host.NewClient();
        var register = WebUtility.HtmlDecode(await anonymous.GetStringAsync("/register/demo", Ct));
        using var unknown = await anonymous.GetAsync("/register/nowhere", Ct);

        Assert.Contains("Nothing is published yet.", before);
        Assert.Contains("<section class=\"dataset\" data-dataset=\"persons\">", register);
        Assert.Contains("Synthetic persons (invented, not real people)", register);           // the dataset's description
        Assert.Contains("<td>Team Noord</td><td>", register);                                 // the grant: team and purpose
        Assert.Contains("<td>Team Zuid</td><td>", register);
        Assert.Contains("<td>Team Noord</td><td>Income note</td><td><code>note.txt</code></td>", register);   // the published result
        foreach (var person in new[] { "noord1", "zuid1", "Member of", "anna", "chris", "dana" })
            Assert.DoesNotContain(person, register, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("/register/demo", await anonymous.GetStringAsync("/", Ct));           // linked from the front page
    }
}
