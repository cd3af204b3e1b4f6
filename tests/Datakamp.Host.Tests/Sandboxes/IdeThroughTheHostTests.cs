using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Sandboxes;

/// <summary>
/// Issue #4 item 5 end to end: a signed-in member starts the team's sandbox from the team page, and
/// runs code in a real Jupyter kernel through the host's proxy (HTTP and the kernel WebSocket); a
/// member of another team cannot reach it.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class IdeThroughTheHostTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_member_starts_the_sandbox_and_runs_python_in_its_kernel_through_the_proxy_and_another_team_cannot()
    {
        // On Kestrel: the kernel WebSocket is upgraded on a real connection, as a browser's is (the in-memory TestServer cannot upgrade).
        await using var host = await DemoHost.StartOnLoopbackAsync(postgres, docker);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        var cookie = await SignInCookieAsync(host, "noord1");
        using var noord = NewClient(host);
        noord.DefaultRequestHeaders.Add("Cookie", cookie);
        await DemoHost.AcceptDeclarationAsync(noord);

        var teamPage = await noord.GetAsync("/team", Ct);
        var started = await PostWithTokenAsync(noord, "/team?handler=Start", await teamPage.Content.ReadAsStringAsync(Ct), cookie, teamPage);
        Assert.Contains("Your sandbox is running.", await started.Content.ReadAsStringAsync(Ct));

        using var kernelspecs = await noord.GetAsync("/ide/demo/noord/api/kernelspecs", Ct);
        Assert.Equal(HttpStatusCode.OK, kernelspecs.StatusCode);
        Assert.Contains("python3", await kernelspecs.Content.ReadAsStringAsync(Ct));

        using var startKernel = new HttpRequestMessage(HttpMethod.Post, "/ide/demo/noord/api/kernels") { Content = new StringContent("""{"name":"python3"}""", Encoding.UTF8, "application/json") };
        startKernel.Headers.Add("Origin", Origin(host));
        using var kernelResponse = await noord.SendAsync(startKernel, Ct);
        Assert.Equal(HttpStatusCode.Created, kernelResponse.StatusCode);
        var kernelId = JsonNode.Parse(await kernelResponse.Content.ReadAsStringAsync(Ct))!["id"]!.GetValue<string>();

        var output = await ExecuteOverWebSocketAsync(host, cookie, kernelId, "import pandas; print(6 * 7, open('/data/persons.csv').readline().split(',')[0])");
        Assert.Equal("42 person_id", output.Trim());

        // Staff see the running sandbox with its live memory use against its limit.
        using var staff = NewClient(host);
        staff.DefaultRequestHeaders.Add("Cookie", await SignInCookieAsync(host, "anna"));
        var sandboxesPage = await staff.GetStringAsync("/staff/sandboxes", Ct);
        Assert.Matches(@"<td>running</td>\s*<td>\d+ MB of 768 MB</td>", sandboxesPage);
        // ...and its disk use against the default 2048 MB quota (ext4 keeps some of the image for itself).
        Assert.Matches(@"<td>\d+ MB of (19|20)\d\d MB</td>\s*<td class=""error""></td>", sandboxesPage);

        var zuidCookie = await SignInCookieAsync(host, "zuid1");
        using var zuid = NewClient(host);
        zuid.DefaultRequestHeaders.Add("Cookie", zuidCookie);
        using var foreign = await zuid.GetAsync("/ide/demo/noord/api/kernelspecs", Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    /// <summary>Sends an execute_request on the kernel's channels and returns what it printed (Jupyter messaging protocol 5.3).</summary>
    private static async Task<string> ExecuteOverWebSocketAsync(DemoHost host, string cookie, string kernelId, string code)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        socket.Options.SetRequestHeader("Origin", Origin(host));
        await socket.ConnectAsync(new Uri($"ws://{host.BaseUrl.Authority}/ide/demo/noord/api/kernels/{kernelId}/channels"), Ct);
        var msgId = Guid.NewGuid().ToString("N");
        var request = new JsonObject
        {
            ["header"] = new JsonObject { ["msg_id"] = msgId, ["username"] = "test", ["session"] = Guid.NewGuid().ToString("N"), ["msg_type"] = "execute_request", ["version"] = "5.3", ["date"] = DateTime.UtcNow.ToString("o") },
            ["parent_header"] = new JsonObject(), ["metadata"] = new JsonObject(), ["channel"] = "shell", ["buffers"] = new JsonArray(),
            ["content"] = new JsonObject { ["code"] = code, ["silent"] = false, ["store_history"] = false, ["user_expressions"] = new JsonObject(), ["allow_stdin"] = false, ["stop_on_error"] = true },
        };
        await socket.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, Ct);

        var printed = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var message = JsonNode.Parse(await ReceiveAsync(socket, timeout.Token))!;
            if (message["parent_header"]?["msg_id"]?.GetValue<string>() != msgId) continue;
            var type = message["header"]!["msg_type"]!.GetValue<string>();
            if (type == "stream") printed.Append(message["content"]!["text"]!.GetValue<string>());
            if (type == "error") Assert.Fail($"kernel error: {message["content"]!["evalue"]}");
            if (type == "status" && message["content"]!["execution_state"]!.GetValue<string>() == "idle") return printed.ToString();
        }
    }

    /// <summary>A plain client of the host on its loopback port: no redirects followed, cookies only as the test sets them.</summary>
    private static HttpClient NewClient(DemoHost host) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseUrl };

    private static string Origin(DemoHost host) => host.BaseUrl.GetLeftPart(UriPartial.Authority);

    private static async Task<string> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        WebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(buffer, cancellationToken);
            text.Write(buffer, 0, received.Count);
        }
        while (!received.EndOfMessage);
        return Encoding.UTF8.GetString(text.ToArray());
    }

    private static async Task<string> SignInCookieAsync(DemoHost host, string username)
    {
        using var client = NewClient(host);
        using var form = await client.GetAsync("/signin", Ct);
        var antiforgeryCookie = CookiePairs(form);
        using var post = await PostWithTokenAsync(client, "/signin", await form.Content.ReadAsStringAsync(Ct), antiforgeryCookie, form,
            new() { ["username"] = username, ["password"] = host.PasswordOf(username) });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        return $"{antiforgeryCookie}; {CookiePairs(post)}";
    }

    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string path, string page, string cookie, HttpResponseMessage pageResponse, Dictionary<string, string>? fields = null)
    {
        fields ??= [];
        fields["__RequestVerificationToken"] = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var extra = CookiePairs(pageResponse);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Remove("Cookie");
        var all = string.Join("; ", new[] { cookie, extra }.Where(c => !string.IsNullOrEmpty(c)));
        if (!client.DefaultRequestHeaders.Contains("Cookie")) request.Headers.Add("Cookie", all);
        else if (extra.Length > 0) request.Headers.Add("Cookie", extra);
        return await client.SendAsync(request, Ct);
    }

    private static string CookiePairs(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);
}
