using Datakamp.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Datakamp.Host.Tests.Browser;

/// <summary>Staff set up an event in Chromium: an event, a team, an account, a dataset registered on the host and granted; then the transparency pages.</summary>
[Trait("Category", "Browser")]
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class StaffConsoleInTheBrowserTests(PostgresFixture postgres, DockerFixture docker, BrowserFixture chromium)
{
    [Fact]
    public async Task Staff_create_an_event_a_team_and_an_account_register_a_dataset_and_grant_it()
    {
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        var csv = Path.Combine(Directory.CreateDirectory(Path.Combine(host.StatePath, "incoming")).FullName, "households.csv");
        await File.WriteAllTextAsync(csv, "household_id,district,size\nh1,Noord,3\nh2,Zuid,1\nh3,Oost,2\n", TestContext.Current.CancellationToken);
        await using var browser = await chromium.OpenAsync(host);
        await browser.SignInAsync("anna");
        var page = browser.Page;

        await page.GetByRole(AriaRole.Link, new() { Name = "Events", Exact = true }).ClickAsync();
        var newEvent = page.Locator("#new-event");
        await newEvent.GetByLabel("Short name (in addresses)").FillAsync("dk2027");
        await newEvent.GetByLabel("Name", new() { Exact = true }).FillAsync("Datakamp 2027: housing");
        await newEvent.GetByLabel("First day").FillAsync("2027-03-01");
        await newEvent.GetByLabel("Last day").FillAsync("2027-03-03");
        await newEvent.GetByRole(AriaRole.Button, new() { Name = "Create event" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Event 'Datakamp 2027: housing' (dk2027) is created.");
        var section = page.Locator("section[data-event='dk2027']");
        await section.GetByLabel("New team: short name (in addresses)").FillAsync("oost");
        await section.GetByLabel("Name", new() { Exact = true }).FillAsync("Team Oost");
        await section.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Team 'Team Oost' (oost) is created.");
        await Screenshots.SaveAsync(page, "staff-events");

        await page.GetByRole(AriaRole.Link, new() { Name = "Accounts", Exact = true }).ClickAsync();
        await page.GetByLabel("Username").FillAsync("sara");
        await page.GetByLabel("Full name").FillAsync("Sara de Vries");
        await page.GetByLabel("Member of team").SelectOptionAsync(new SelectOptionValue { Label = "Datakamp 2027: housing: Team Oost" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.Locator("#set-password-link")).ToContainTextAsync("/set-password/");
        await Screenshots.SaveAsync(page, "staff-accounts");

        await page.GetByRole(AriaRole.Link, new() { Name = "Datasets", Exact = true }).ClickAsync();
        await page.GetByLabel("Event").SelectOptionAsync(new SelectOptionValue { Label = "Datakamp 2027: housing" });
        await page.GetByLabel("Name (teams see").FillAsync("households");
        await page.GetByLabel("File on the host (full path)").FillAsync(csv);
        await page.GetByLabel("Unit column").FillAsync("household_id");
        await page.GetByLabel("Disclosure policy").SelectOptionAsync("cbs-persons");
        await page.GetByLabel("Description").FillAsync("Synthetic households: district and size.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Dataset households is registered: 3 columns, unit household_id");
        await page.GetByRole(AriaRole.Link, new() { Name = "households" }).ClickAsync();
        await page.GetByLabel("Purpose (public").FillAsync("Household size by district");
        await page.GetByRole(AriaRole.Button, new() { Name = "Grant", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The grant is recorded.");
        await Expect(page.Locator("#grants")).ToContainTextAsync("Team Oost");
        await Screenshots.SaveAsync(page, "staff-dataset");

        await page.GotoAsync("/register/dk2027");
        await Expect(page.Locator("section[data-dataset='households']")).ToContainTextAsync("Household size by district");
        await Screenshots.SaveAsync(page, "data-use-register");
    }
}
