using Datakamp.Host.Tests.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Datakamp.Host.Tests.Browser;

/// <summary>
/// The real Jupyter Notebook through the host's proxy in Chromium, under the Content-Security-Policy the
/// proxy sets on the IDE path: its pages load, a cell runs on the kernel (over the page's WebSocket),
/// and the browser reports no policy violation.
/// </summary>
[Trait("Category", "Browser")]
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class IdeInTheBrowserTests(PostgresFixture postgres, DockerFixture docker, BrowserFixture chromium)
{
    [Fact]
    public async Task A_member_opens_the_ide_and_runs_a_notebook_cell_with_no_content_security_policy_violation()
    {
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, CancellationToken.None) is null ? $"{SandboxHarness.Image} is not built" : null);
        await using var browser = await chromium.OpenAsync(host);
        var page = browser.Page;
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            // Notebook probes a font at about:blank, which loads nothing either way; anything else blocked by the policy counts.
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) && !message.Text.Contains("font 'about:blank'", StringComparison.Ordinal))
                lock (violations) violations.Add(message.Text);
        };
        await browser.SignInAsync("noord1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start my sandbox" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your sandbox is running.", new() { Timeout = 90_000 });
        await host.RunPythonInSandboxAsync("noord", """
            import json
            cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": "print(6 * 7)"}
            notebook = {"cells": [cell], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}
            json.dump(notebook, open("/workspace/answer.ipynb", "w"))
            """);

        await page.GetByRole(AriaRole.Link, new() { Name = "Open the IDE (Jupyter)" }).ClickAsync();
        // Generous bounds, not expectations: the page loads its scripts and starts a kernel, on a busy two-core machine.
        await Expect(page.GetByText("answer.ipynb")).ToBeVisibleAsync(new() { Timeout = 120_000 });
        await page.GotoAsync("/ide/demo/noord/notebooks/answer.ipynb", new() { Timeout = 120_000 });
        // The classic Notebook (notebook 6) of the analysis image drops a cell run before its kernel is connected
        // (over the WebSocket through the proxy): wait for that, then run the cell as a person would.
        await page.WaitForFunctionAsync("() => window.Jupyter?.notebook?.kernel?.is_connected() === true", null, new() { Timeout = 120_000 });
        await page.Locator(".cell .CodeMirror").First.ClickAsync();
        await page.Keyboard.PressAsync("Shift+Enter");

        await Expect(page.Locator(".output_subarea").First).ToContainTextAsync("42", new() { Timeout = 120_000 });
        lock (violations) Assert.Empty(violations);
    }
}
