using Datakamp.Host.Tests.Releases;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Datakamp.Host.Tests.Browser;

/// <summary>
/// The checkers' half in Chromium: the queue, the flagged cell with its rule, "approve with suppression" by both checkers,
/// the decision on the team's page and the host's table on the presentation.
/// </summary>
[Trait("Category", "Browser")]
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class ReviewInTheBrowserTests(PostgresFixture postgres, DockerFixture docker, BrowserFixture chromium)
{
    [Fact]
    public async Task A_checker_approves_a_flagged_table_with_suppression_the_team_sees_the_decision_and_the_presentation_shows_the_table()
    {
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, CancellationToken.None) is null ? $"{SandboxHarness.Image} is not built" : null);
        var location = await ReviewThroughTheHostTests.SubmitFlaggedTableAsync(host);
        await using var browser = await chromium.OpenAsync(host);
        await browser.SignInAsync("chris");
        var page = browser.Page;

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Review queue");
        await Screenshots.SaveAsync(page, "checker-queue");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^#\d+") }).First.ClickAsync();

        var flagged = page.Locator("table.grid td.cell-fail").First;
        await Expect(flagged).ToContainTextAsync("✖");
        await Expect(page.Locator("table.findings").First).ToContainTextAsync("fewer than the minimum of 10");
        await Screenshots.SaveAsync(page, "checker-review");

        // The table goes out as the host's own version with its suppressed cells blank; its spec and description as they are.
        foreach (var (file, decision) in new[] { ("t.csv", "approve with suppression"), ("t.spec.yaml", "approve"), ("t.description.txt", "approve") })
        {
            var section = page.Locator($"section[data-file='{file}']");
            await section.GetByLabel(decision, new() { Exact = false }).First.CheckAsync();
            await section.GetByLabel("Comment for the team (required)").FillAsync("Safe once the small cells are suppressed.");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Record my decisions" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("when the other checker has voted too");
        await Expect(page.Locator("p.decision").First).ToContainTextAsync("Your vote: approved with suppression");
        Assert.EndsWith(location["/team".Length..], new Uri(page.Url).AbsolutePath);

        // The second checker agrees (her own review is in the tests of the host); the request is decided and published.
        await using (var dana = await chromium.OpenAsync(host))
        {
            await dana.SignInAsync("dana");
            await dana.Page.GotoAsync(page.Url);
            foreach (var (file, decision) in new[] { ("t.csv", "approve with suppression"), ("t.spec.yaml", "approve"), ("t.description.txt", "approve") })
            {
                var section = dana.Page.Locator($"section[data-file='{file}']");
                await section.GetByLabel(decision, new() { Exact = false }).First.CheckAsync();
                await section.GetByLabel("Comment for the team (required)").FillAsync("Agreed.");
            }
            await dana.Page.GetByRole(AriaRole.Button, new() { Name = "Record my decisions" }).ClickAsync();
            await Expect(dana.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("the request is approved");
        }

        // The team sees the decision, and the presentation shows the host's table.
        await using var team = await chromium.OpenAsync(host);
        await team.SignInAsync("noord1");
        await team.Page.GotoAsync(new Uri(host.BaseUrl, location).ToString());
        await Expect(team.Page.Locator("body")).ToContainTextAsync("published: on the presentation");
        await Expect(team.Page.Locator("body")).ToContainTextAsync("approved with suppression");
        await team.Page.GetByRole(AriaRole.Link, new() { Name = "Presentation" }).ClickAsync();
        await team.Page.GetByRole(AriaRole.Link, new() { Name = "Team Noord" }).ClickAsync();
        await Expect(team.Page.Locator("table.released th").Last).ToHaveTextAsync("suppressed");
        await Expect(team.Page.Locator("table.released td", new() { HasTextString = "x" }).First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(team.Page, "presentation-team");
        await team.Page.GotoAsync(new Uri(host.BaseUrl, "/presentation/demo/show/1").ToString());
        await Expect(team.Page.Locator("h1.team")).ToHaveTextAsync("Team Noord");
        await Screenshots.SaveAsync(team.Page, "presentation-mode");
    }
}
