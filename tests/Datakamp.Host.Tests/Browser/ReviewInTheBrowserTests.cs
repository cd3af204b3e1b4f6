using Datakamp.Host.Tests.Releases;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Datakamp.Host.Tests.Browser;

/// <summary>An output checker reviews a submitted table in Chromium: the queue, the flagged cell with its rule, a decision.</summary>
[Trait("Category", "Browser")]
public sealed class ReviewInTheBrowserTests(PostgresFixture postgres, DockerFixture docker, BrowserFixture chromium)
{
    [Fact]
    public async Task A_checker_opens_a_request_from_the_queue_sees_the_flagged_cell_with_its_rule_and_records_a_decision()
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

        foreach (var file in new[] { "t.csv", "t.spec.yaml", "t.description.txt" })
        {
            var section = page.Locator($"section[data-file='{file}']");
            await section.GetByLabel("return for changes").CheckAsync();
            await section.GetByLabel("Comment for the team (required)").FillAsync("Suppress the small cells or use wider groups.");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Record my decisions" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("when the other checker has voted too");
        await Expect(page.Locator("p.decision").First).ToContainTextAsync("Your vote: returned for changes");
        Assert.EndsWith(location["/team".Length..], new Uri(page.Url).AbsolutePath);
    }
}
