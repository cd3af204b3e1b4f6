using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Datakamp.Domain.Events;
using Datakamp.Host.Accounts;
using Datakamp.Host.Ide;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Tests.Ide;

/// <summary>
/// The IDE proxy between real Kestrel servers: the proxy on loopback (with a test sign-in scheme
/// whose identity comes from a header) and a stand-in for Jupyter on a unix socket, as in a sandbox.
/// </summary>
public sealed class IdeProxyTests : IAsyncLifetime
{
    private const string Token = "team-token-123";
    private readonly string _folder = Directory.CreateTempSubdirectory("dk-ide-").FullName;
    private readonly Dictionary<string, IdeSession> _sessions = new();
    private WebApplication? _jupyter;
    private WebApplication? _proxy;
    private int _jupyterRequests;
    private readonly SettableDeclarationGate _declaration = new();

    private string ProxyUrl => _proxy!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    private string SocketPath => Path.Combine(_folder, "nb.sock");
    internal static uint CurrentUid => uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);

    public async ValueTask InitializeAsync()
    {
        _jupyter = StartFakeJupyter(SocketPath);
        await _jupyter.StartAsync();
        _sessions["noord"] = new IdeSession("demo", "noord", SocketPath, CurrentUid, Token);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication("test").AddScheme<AuthenticationSchemeOptions, HeaderAuthentication>("test", null);
        builder.Services.AddSingleton<IIdeSessionDirectory>(new SessionDirectory(_sessions));
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton<IdeConnections>();
        builder.Services.AddSingleton(new IdeActivity(TimeProvider.System));
        builder.Services.AddSingleton(new IdeProblems(TimeProvider.System));
        builder.Services.AddSingleton<IDeclarationGate>(_declaration);
        builder.Services.AddSingleton<IIdeSessionLog>(new UnrecordedIdeSessions());   // the session audit is tested with the real host
        _proxy = builder.Build();
        _proxy.UseWebSockets();
        _proxy.UseAuthentication();
        _proxy.MapIdeProxy();
        await _proxy.StartAsync();
    }

    private WebApplication StartFakeJupyter(string socketPath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ide/demo/noord/api/echo", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _jupyterRequests);
            using var reader = new StreamReader(context.Request.Body);
            var headers = context.Request.Headers;
            return Results.Json(new Dictionary<string, string?>
            {
                ["method"] = context.Request.Method, ["host"] = headers.Host, ["authorization"] = headers.Authorization,
                ["cookie"] = headers.Cookie, ["origin"] = headers.Origin, ["referer"] = headers.Referer, ["query"] = context.Request.QueryString.Value,
                ["body"] = await reader.ReadToEndAsync(),
            });
        });
        app.Map("/ide/demo/noord/api/kernels/channels", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _jupyterRequests);
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var greeting = Encoding.UTF8.GetBytes($"auth={context.Request.Headers.Authorization}");
            await socket.SendAsync(greeting, WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[1024];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
            }
        });
        return app;
    }

    private HttpClient ClientAs(string? team)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(ProxyUrl) };
        if (team is not null) client.DefaultRequestHeaders.Add(HeaderAuthentication.Header, team);
        return client;
    }

    private static async Task<Dictionary<string, string?>> EchoAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<Dictionary<string, string?>>(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task A_member_reaches_the_ide_with_the_token_added_by_the_proxy_and_without_the_hosts_cookies()
    {
        using var client = ClientAs("noord");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ide/demo/noord/api/echo?x=1");
        request.Headers.Add("Cookie", ".Datakamp.Auth=secret-session; _xsrf=abc; .AspNetCore.Antiforgery.x=y");

        var echo = await EchoAsync(await client.SendAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal("localhost", echo["host"]);
        Assert.Equal($"token {Token}", echo["authorization"]);
        Assert.Equal("_xsrf=abc", echo["cookie"]);
        Assert.Equal("?x=1", echo["query"]);
    }

    [Fact]
    public async Task A_token_sent_by_the_browser_is_replaced_by_the_teams_own()
    {
        using var client = ClientAs("noord");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ide/demo/noord/api/echo");
        request.Headers.TryAddWithoutValidation("Authorization", "token someone-elses");

        var echo = await EchoAsync(await client.SendAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal($"token {Token}", echo["authorization"]);
    }

    [Fact]
    public async Task A_member_of_another_team_gets_404_and_the_ide_sees_nothing()
    {
        using var client = ClientAs("zuid");

        using var response = await client.GetAsync("/ide/demo/noord/api/echo", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, _jupyterRequests);
    }

    [Fact]
    public async Task Someone_not_signed_in_is_challenged_and_the_ide_sees_nothing()
    {
        using var client = ClientAs(null);

        using var response = await client.GetAsync("/ide/demo/noord/api/echo", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _jupyterRequests);
    }

    [Fact]
    public async Task A_same_origin_post_is_forwarded_with_its_body()
    {
        using var client = ClientAs("noord");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ide/demo/noord/api/echo") { Content = new StringContent("""{"cell":"print(1)"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("Origin", ProxyUrl);
        request.Headers.Referrer = new Uri($"{ProxyUrl}/ide/demo/noord/tree");

        var echo = await EchoAsync(await client.SendAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal("POST", echo["method"]);
        Assert.Equal("""{"cell":"print(1)"}""", echo["body"]);
        Assert.Null(echo["origin"]);
        Assert.Equal("http://localhost/ide/demo/noord/", echo["referer"]);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData(null)]
    public async Task A_post_from_another_origin_or_without_origin_is_refused(string? origin)
    {
        using var client = ClientAs("noord");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ide/demo/noord/api/echo") { Content = new StringContent("{}") };
        if (origin is not null) request.Headers.Add("Origin", origin);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, _jupyterRequests);
    }

    [Fact]
    public async Task Kernel_websocket_messages_cross_the_proxy_both_ways_with_the_teams_token()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(HeaderAuthentication.Header, "noord");
        socket.Options.SetRequestHeader("Origin", ProxyUrl);
        await socket.ConnectAsync(new Uri($"{ProxyUrl.Replace("http", "ws")}/ide/demo/noord/api/kernels/channels"), TestContext.Current.CancellationToken);

        Assert.Equal($"auth=token {Token}", await ReceiveTextAsync(socket));
        await socket.SendAsync(Encoding.UTF8.GetBytes("execute_request"), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        Assert.Equal("execute_request", await ReceiveTextAsync(socket));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_websocket_handshake_from_another_origin_is_refused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(HeaderAuthentication.Header, "noord");
        socket.Options.SetRequestHeader("Origin", "http://evil.example");

        await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"{ProxyUrl.Replace("http", "ws")}/ide/demo/noord/api/kernels/channels"), TestContext.Current.CancellationToken));
        Assert.Equal(0, _jupyterRequests);
    }

    [Fact]
    public async Task A_member_who_has_not_accepted_the_declaration_is_refused_and_the_ide_sees_nothing()
    {
        _declaration.Due = new Declaration(1, 2, "I keep the microdata confidential.", Declaration.HashOf("I keep the microdata confidential."), DateTimeOffset.UtcNow, "staff:anna");
        using var client = ClientAs("noord");

        using var response = await client.GetAsync("/ide/demo/noord/api/echo", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("confidentiality declaration at /declaration", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, _jupyterRequests);
    }

    [Fact]
    public async Task A_team_whose_sandbox_is_not_running_gets_503_with_an_explanation()
    {
        _sessions.Remove("noord");
        using var client = ClientAs("noord");

        using var response = await client.GetAsync("/ide/demo/noord/tree", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("sandbox is not running", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_socket_replaced_by_a_symlink_to_another_socket_gets_502_and_the_other_socket_no_request()
    {
        var elsewhere = StartFakeJupyter(Path.Combine(_folder, "host-service.sock"));
        await elsewhere.StartAsync(TestContext.Current.CancellationToken);
        var link = Path.Combine(_folder, "link.sock");
        File.CreateSymbolicLink(link, Path.Combine(_folder, "host-service.sock"));
        _sessions["noord"] = new IdeSession("demo", "noord", link, CurrentUid, Token);
        using var client = ClientAs("noord");

        using var response = await client.GetAsync("/ide/demo/noord/api/echo", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, _jupyterRequests);
        await elsewhere.DisposeAsync();
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null) await _proxy.DisposeAsync();
        if (_jupyter is not null) await _jupyter.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Nothing due, unless a test sets a declaration that the member has not accepted.</summary>
    private sealed class SettableDeclarationGate : IDeclarationGate
    {
        public Declaration? Due { get; set; }

        public Task<Declaration?> DueAsync(ClaimsPrincipal user, CancellationToken cancellationToken) => Task.FromResult(Due);
    }

    private sealed class SessionDirectory(Dictionary<string, IdeSession> sessions) : IIdeSessionDirectory
    {
        public IdeSession? Find(string eventSlug, string teamSlug) => eventSlug == "demo" ? sessions.GetValueOrDefault(teamSlug) : null;
    }

    /// <summary>Test sign-in: the team named in a request header, standing in for the host's cookie sign-in.</summary>
    private sealed class HeaderAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Header = "X-Test-Team";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var team = Request.Headers[Header].ToString();
            if (team.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"member-of-{team}"), new Claim(IdeAccess.TeamClaim, IdeAccess.TeamClaimValue("demo", team))], "test");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "test")));
        }
    }

    private sealed class UnrecordedIdeSessions : IIdeSessionLog
    {
        public Task SeenAsync(System.Security.Claims.ClaimsPrincipal user, IdeSession session, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
