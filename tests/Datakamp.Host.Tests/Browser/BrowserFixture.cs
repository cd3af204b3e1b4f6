using Datakamp.TestSupport;
using Microsoft.Playwright;

namespace Datakamp.Host.Tests.Browser;

/// <summary>
/// One headless Debian Chromium (<see cref="ChromiumPath"/>) for the whole test assembly, driven by
/// Playwright's bundled driver (the node in the test output's <c>.playwright</c> folder). Playwright
/// never downloads a browser here. Chromium starts at the first <see cref="OpenAsync"/>, so test runs
/// without browser tests never launch it. Each test gets its own context: an empty profile of cookies
/// and storage, closed with the test.
/// </summary>
/// <remarks>
/// Writing a browser test (the checker pages, say): take <see cref="BrowserFixture"/> next to the
/// PostgreSQL and Docker fixtures in the constructor, then
/// <code>
/// await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);   // Kestrel on 127.0.0.1:free port, demo event seeded
/// await using var browser = await chromium.OpenAsync(host);                      // fresh context + page, relative URLs go to the host
/// await browser.SignInAsync("chris");                                              // the real form, password from the demo seeder
/// await browser.Page.GotoAsync("/checker");                                       // navigate
/// await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("…");
/// await Screenshots.SaveAsync(browser.Page, "checker-queue");                     // docs/screenshots/checker-queue.png
/// </code>
/// Demo accounts: anna (staff), noord1 and zuid1 (team members), chris (output checker); their
/// passwords come from the seeder's accounts.txt (<see cref="DemoHost.PasswordOf"/>).
/// Assert with Playwright's <c>Assertions.Expect(...)</c>: it waits for the page to get there, so no
/// test needs sleeps or timing. Locally the tests skip when Chromium is missing; with CI=true they fail.
/// </remarks>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// Headless, no GPU, and nothing that phones home. Playwright adds --no-sandbox (ChromiumSandbox
    /// false: we run as root) and starts Chromium on an empty temporary profile (its own
    /// --user-data-dir, removed at close); it refuses a --user-data-dir in these arguments.
    /// </summary>
    public static readonly IReadOnlyList<string> ChromiumArguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--no-default-browser-check", "--disable-domain-reliability", "--no-pings",
        "--disable-client-side-phishing-detection", "--disable-dev-shm-usage",
    ];

    /// <summary>
    /// Everything that is not loopback goes to this closed loopback port and fails there: the browser
    /// cannot send traffic off this machine even if a page or Chromium itself tried. Loopback
    /// addresses bypass it (<see cref="LoopbackBypass"/>), so the host under test is reached directly.
    /// </summary>
    private const string DeadEndProxy = "http://127.0.0.1:9";

    /// <summary>Naming loopback explicitly also stops Playwright from adding <c>&lt;-loopback&gt;</c>, which would proxy loopback too.</summary>
    private const string LoopbackBypass = "127.0.0.1,localhost,[::1]";

    private readonly SemaphoreSlim _launch = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailableReason;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>A new browser context and page whose relative URLs go to <paramref name="host"/>.</summary>
    internal async Task<BrowserSession> OpenAsync(DemoHost host)
    {
        var browser = await LaunchedAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
            Locale = "en-GB",
            TimezoneId = "Europe/Amsterdam",
        });
        try
        {
            return new BrowserSession(context, await context.NewPageAsync(), host);
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    private async Task<IBrowser> LaunchedAsync()
    {
        await _launch.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_browser is null && _unavailableReason is null)
                (_browser, _unavailableReason) = await TryLaunchAsync();
        }
        finally
        {
            _launch.Release();
        }
        TestEnvironment.RequireOrSkip(_unavailableReason);
        return _browser!;
    }

    private async Task<(IBrowser?, string?)> TryLaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
            return (null, $"Chromium not installed at {ChromiumPath}; 'bash scripts/test' installs it (apt package chromium)");
        // Belt and braces: no Playwright code path may fetch a browser of its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        try
        {
            _playwright = await Playwright.CreateAsync();
            var browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                ChromiumSandbox = false,
                Args = ChromiumArguments,
                Proxy = new Proxy { Server = DeadEndProxy, Bypass = LoopbackBypass },
                Timeout = 60_000,
            });
            return (browser, null);
        }
        catch (Exception e) when (e is PlaywrightException or IOException or InvalidOperationException)
        {
            return (null, $"Chromium at {ChromiumPath} did not start under Playwright: {e.Message.Split('\n')[0]}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        _launch.Dispose();
    }
}
