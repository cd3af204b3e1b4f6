using System.Text.RegularExpressions;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Datakamp.Host.Tests.Browser;

/// <summary>A team member submits a helper table from the outbox in Chromium and reads the automated check's findings.</summary>
[Trait("Category", "Browser")]
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed partial class SubmitInTheBrowserTests(PostgresFixture postgres, DockerFixture docker, BrowserFixture chromium)
{
    [Fact]
    public async Task A_member_selects_outbox_files_submits_them_and_sees_the_failing_cells_of_the_automated_check()
    {
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, CancellationToken.None) is null ? $"{SandboxHarness.Image} is not built" : null);
        await using var browser = await chromium.OpenAsync(host);
        await browser.SignInAsync("noord1");
        var page = browser.Page;
        await page.GetByRole(AriaRole.Button, new() { Name = "Start my sandbox" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your sandbox is running.", new() { Timeout = 90_000 });
        await host.RunPythonInSandboxAsync("noord", """
            import pandas as pd, datakamp
            persons = pd.read_csv("/data/persons.csv", dtype=str)
            datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", cols="sex",
                              name="by_district_sex", description="Persons by district and sex, demo event.")
            """);

        await page.GetByRole(AriaRole.Link, new() { Name = "submit them for checking" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Submit outputs for release");
        await Expect(page.GetByText("Persons by district and sex, demo event.")).ToBeVisibleAsync();
        foreach (var file in new[] { "by_district_sex.csv", "by_district_sex.spec.yaml", "by_district_sex.description.txt" })
            await page.GetByLabel($"select {file}").CheckAsync();
        await page.GetByLabel("Purpose").FillAsync("Poverty by district and sex, for the final presentation.");
        await Screenshots.SaveAsync(page, "team-submit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit for checking" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(RequestPage());
        // The page says the check is running until the worker has finished; a reload shows the result.
        for (var i = 0; i < 60 && await page.GetByText("The automated check is running").CountAsync() > 0; i++)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            await page.ReloadAsync();
        }
        await Expect(page.Locator("#state")).ToHaveTextAsync("checked: waiting for an output checker");
        var findings = page.Locator("section[data-file='by_district_sex.csv'] table.findings");
        await Expect(findings.GetByRole(AriaRole.Row).Filter(new() { HasText = "fewer than the minimum of 10" }).First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "team-request-checked");

        await page.GetByRole(AriaRole.Link, new() { Name = "All our requests" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Poverty by district and sex" })).ToHaveCountAsync(1);
    }

    [GeneratedRegex(@"/team/requests/\d+$")]
    private static partial Regex RequestPage();
}
