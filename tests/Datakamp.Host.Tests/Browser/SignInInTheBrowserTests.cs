using Datakamp.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Datakamp.Host.Tests.Browser;

/// <summary>Signing in with Debian's Chromium against the demo host on loopback, as a person does it.</summary>
[Trait("Category", "Browser")]
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SignInInTheBrowserTests(PostgresFixture postgres, DockerFixture docker, BrowserFixture chromium)
{
    [Fact]
    public async Task A_staff_member_signs_in_through_the_form_and_sees_every_teams_sandbox()
    {
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        await using var browser = await chromium.OpenAsync(host);

        await browser.SignInAsync("anna");

        var page = browser.Page;
        await Expect(page).ToHaveURLAsync(new Uri(host.BaseUrl, "/staff/sandboxes").ToString());
        await Expect(page).ToHaveTitleAsync("Sandboxes · Datakamp");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sandboxes");
        var rows = page.GetByRole(AriaRole.Row);
        await Expect(rows.Filter(new() { HasText = "Noord" })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "Zuid" })).ToHaveCountAsync(1);
        await Expect(page.Locator("header .who")).ToHaveTextAsync("anna");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "My team" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "staff-sandboxes");
    }

    [Fact]
    public async Task A_team_member_signs_in_through_the_form_and_sees_the_team_page_with_its_data()
    {
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        await using var browser = await chromium.OpenAsync(host);

        await browser.SignInAsync("noord1");

        var page = browser.Page;
        await Expect(page).ToHaveURLAsync(new Uri(host.BaseUrl, "/team").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Team Noord");
        await Expect(page.GetByText("/data/persons.csv")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start my sandbox" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sandboxes" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "team");
    }

    [Fact]
    public async Task A_wrong_password_shows_the_error_message_and_no_stack_trace()
    {
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;
        await page.GotoAsync("/signin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");
        await Screenshots.SaveAsync(page, "signin");

        var response = await browser.SubmitSignInAsync("zuid1", "not the password of zuid1");

        Assert.Equal(401, response.Status);
        await Expect(page).ToHaveURLAsync(new Uri(host.BaseUrl, "/signin").ToString());
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Username or password is wrong, or the account is locked for a while.");
        await Expect(page.GetByLabel("Username")).ToHaveValueAsync("zuid1");
        await Expect(page.GetByLabel("Password")).ToHaveValueAsync("");
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var trace in new[] { "Exception", "   at ", "StackTrace", ".cs:line", "Datakamp.Host." })
            Assert.DoesNotContain(trace, text);
        Assert.DoesNotContain("zuid1", await page.Locator("header").InnerTextAsync());
    }
}
