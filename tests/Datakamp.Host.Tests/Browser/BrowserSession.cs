using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Datakamp.Host.Tests.Browser;

/// <summary>
/// One person at one browser: a fresh Playwright context (own cookies) and its page, pointed at a
/// <see cref="DemoHost"/> on loopback. Relative URLs in <c>Page.GotoAsync("/team")</c> go to that host.
/// See <see cref="BrowserFixture"/> for how to write a browser test.
/// </summary>
internal sealed class BrowserSession(IBrowserContext context, IPage page, DemoHost host) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    /// <summary>
    /// Signs in through the real form as a demo account, with the seeder's password, and waits until the browser has left
    /// /signin. A team member is sent to the confidentiality declaration first: they tick the box and accept it, as a
    /// person would, and land where they were going.
    /// </summary>
    public async Task SignInAsync(string username)
    {
        var response = await SubmitSignInAsync(username, host.PasswordOf(username));
        Assert.True(response.Status == 302, $"sign-in as {username} answered {response.Status}, not a redirect");
        await Expect(Page).Not.ToHaveURLAsync(new Uri(host.BaseUrl, "/signin").ToString());
        if (new Uri(Page.Url).AbsolutePath != "/declaration") return;
        await Page.GetByLabel("I have read this declaration and I accept it.").CheckAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Accept the declaration" }).ClickAsync();
        await Expect(Page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/declaration"));
    }

    /// <summary>
    /// Opens /signin, types the username and password and presses "Sign in", as a person would.
    /// Returns the response to the form's POST (302 when accepted, 401 when not).
    /// </summary>
    public async Task<IResponse> SubmitSignInAsync(string username, string password)
    {
        await Page.GotoAsync("/signin");
        await Page.GetByLabel("Username").FillAsync(username);
        await Page.GetByLabel("Password").FillAsync(password);
        return await Page.RunAndWaitForResponseAsync(
            () => Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            response => response.Request.Method == "POST" && new Uri(response.Url).AbsolutePath == "/signin");
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
