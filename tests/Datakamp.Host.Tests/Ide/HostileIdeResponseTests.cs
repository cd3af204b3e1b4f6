using System.Net;
using System.Net.WebSockets;
using System.Text;
using Datakamp.Host.Ide;
using Datakamp.Host.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Datakamp.Host.Tests.Ide;

/// <summary>
/// Issue #12 item 2: a team that replaces its Jupyter with a server of its own, on the socket where the
/// real host expects the team's IDE, answers with the host's cookie names and with security headers.
/// The real host (on Kestrel, so WebSockets upgrade on a real connection) passes none of them on: only
/// Jupyter's own cookies, confined to the team's IDE path, and the host's own security headers.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class HostileIdeResponseTests(PostgresFixture postgres, DockerFixture docker) : IAsyncLifetime
{
    private const string IdePath = "/ide/demo/noord/";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private DemoHost? _host;
    private WebApplication? _hostileIde;
    private readonly CookieContainer _browserCookies = new();

    private DemoHost Host => _host!;

    public async ValueTask InitializeAsync()
    {
        _host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        var socket = SandboxFolders.For(Host.StatePath, "demo", "noord").JupyterSocket;
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        _hostileIde = StartHostileIde(socket);
        await _hostileIde.StartAsync(Ct);
        // As the sandbox manager does for a running sandbox: the socket belongs to the sandbox user (here: whoever runs the test).
        Host.Factory.Services.GetRequiredService<IdeSessionRegistry>().Register(new IdeSession("demo", "noord", socket, IdeProxyTests.CurrentUid, "team-token"));

        using var browser = Browser();
        using var signedIn = await DemoHost.PostFormAsync(browser, "/signin", new() { ["username"] = "noord1", ["password"] = Host.PasswordOf("noord1") });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        await DemoHost.AcceptDeclarationAsync(browser);
    }

    /// <summary>Answers every request, and every WebSocket handshake, with what a hostile team would like the browser to keep.</summary>
    private static WebApplication StartHostileIde(string socketPath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(async context =>
        {
            var headers = context.Response.Headers;
            headers.Append("Set-Cookie", ".Datakamp.Antiforgery=evil; Path=/");
            headers.Append("Set-Cookie", ".Datakamp.Auth=x; Domain=localhost");
            headers.Append("Set-Cookie", ".AspNetCore.Session=y; Path=/");
            headers.Append("Set-Cookie", "_xsrf=abc; Path=/");
            headers.Append("Set-Cookie", "username-localhost=jupyter-login; Path=/");
            headers.Append("Set-Cookie", "_xsrf_wide=1; Domain=127.0.0.1; Path=/");
            headers.ContentSecurityPolicy = "default-src * 'unsafe-inline'";
            headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            headers["Clear-Site-Data"] = "\"*\"";
            headers.AccessControlAllowOrigin = "*";
            headers.XFrameOptions = "ALLOWALL";
            headers["Service-Worker-Allowed"] = "/";
            if (context.WebSockets.IsWebSocketRequest)
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await socket.SendAsync(Encoding.UTF8.GetBytes("hello from the team"), WebSocketMessageType.Text, true, Ct);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
                return;
            }
            await context.Response.WriteAsync("<!doctype html><p>not jupyter</p>");
        });
        return app;
    }

    /// <summary>A browser stand-in: keeps cookies as a browser would (by name, domain and path), follows no redirects.</summary>
    private HttpClient Browser() =>
        new(new SocketsHttpHandler { CookieContainer = _browserCookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = Host.BaseUrl };

    [Fact]
    public async Task An_ide_answer_sets_none_of_the_hosts_cookies_or_security_headers_and_jupyters_cookies_stay_on_the_teams_path()
    {
        var antiforgeryBefore = HostCookie(".Datakamp.Antiforgery");
        var signInBefore = HostCookie(".Datakamp.Auth");
        using var browser = Browser();

        using var response = await browser.GetAsync($"{IdePath}tree", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertOnlyJupytersCookiesOnTheTeamsPath(response.Headers.TryGetValues("Set-Cookie", out var setCookies) ? setCookies : []);
        AssertTheHostsSecurityHeaders(response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase));

        // What the browser keeps: the host's own cookies unchanged, Jupyter's only for the IDE's path.
        Assert.Equal(antiforgeryBefore, HostCookie(".Datakamp.Antiforgery"));
        Assert.Equal(signInBefore, HostCookie(".Datakamp.Auth"));
        Assert.DoesNotContain(_browserCookies.GetCookies(Host.BaseUrl), cookie => cookie.Name.StartsWith("_xsrf") || cookie.Name.StartsWith(".AspNetCore"));
        Assert.Equal("abc", _browserCookies.GetCookies(new Uri(Host.BaseUrl, IdePath))["_xsrf"]?.Value);
        using var teamPage = await browser.GetAsync("/team", Ct);
        Assert.Equal(HttpStatusCode.OK, teamPage.StatusCode);
    }

    [Fact]
    public async Task A_websocket_upgrade_from_the_ide_sets_none_of_the_hosts_cookies_or_security_headers()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Cookie", _browserCookies.GetCookieHeader(Host.BaseUrl));
        socket.Options.SetRequestHeader("Origin", Host.BaseUrl.GetLeftPart(UriPartial.Authority));

        await socket.ConnectAsync(new Uri($"ws://{Host.BaseUrl.Authority}{IdePath}api/kernels/k1/channels"), Ct);

        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, Ct);
        Assert.Equal("hello from the team", Encoding.UTF8.GetString(buffer, 0, received.Count));
        var headers = socket.HttpResponseHeaders!;
        AssertOnlyJupytersCookiesOnTheTeamsPath(headers.TryGetValue("Set-Cookie", out var setCookies) ? setCookies : []);
        AssertTheHostsSecurityHeaders(headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase));
    }

    private static void AssertOnlyJupytersCookiesOnTheTeamsPath(IEnumerable<string> setCookies)
    {
        var cookies = SetCookieHeaderValue.ParseList(setCookies.ToList());
        Assert.Equal(["_xsrf", "username-localhost"], cookies.Select(c => c.Name.ToString()).Order());
        Assert.All(cookies, cookie =>
        {
            Assert.Equal(IdePath, cookie.Path.ToString());
            Assert.True(string.IsNullOrEmpty(cookie.Domain.Value));
            Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
        });
        // Jupyter's script reads the XSRF token; the login cookie is for the server only.
        Assert.False(cookies.Single(c => c.Name == "_xsrf").HttpOnly);
        Assert.True(cookies.Single(c => c.Name == "username-localhost").HttpOnly);
    }

    private static void AssertTheHostsSecurityHeaders(Dictionary<string, string> headers)
    {
        Assert.Equal(IdeResponseHeaders.ContentSecurityPolicy, headers["Content-Security-Policy"]);
        Assert.Equal("nosniff", headers["X-Content-Type-Options"]);
        Assert.Equal("SAMEORIGIN", headers["X-Frame-Options"]);
        foreach (var teamSet in new[] { "Strict-Transport-Security", "Clear-Site-Data", "Access-Control-Allow-Origin", "Service-Worker-Allowed" })
            Assert.False(headers.ContainsKey(teamSet), $"{teamSet} reached the browser");
    }

    private string? HostCookie(string name) => _browserCookies.GetCookies(Host.BaseUrl)[name]?.Value;

    public async ValueTask DisposeAsync()
    {
        if (_hostileIde is not null) await _hostileIde.DisposeAsync();
        if (_host is not null) await _host.DisposeAsync();
    }
}
