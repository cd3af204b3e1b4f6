using Datakamp.Data;
using System.Net;
using System.Text.RegularExpressions;
using Datakamp.Docker;
using Datakamp.Host.Sandboxes;
using Datakamp.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests;

/// <summary>
/// The whole host in-process (WebApplicationFactory) on a fresh database of the real PostgreSQL,
/// the real Docker engine, its own state folder and the seeded demo event with its demo accounts.
/// <see cref="StartAsync(PostgresFixture, DockerFixture)"/> serves it on an in-memory TestServer (for HttpClient tests);
/// <see cref="StartOnLoopbackAsync"/> serves it on Kestrel at a free 127.0.0.1 port, so a real browser can reach it.
/// </summary>
internal sealed partial class DemoHost : IAsyncDisposable
{
    private readonly ScratchStateDirectory _state = new();
    private readonly Dictionary<string, string> _passwords = new();

    private DemoHost(WebApplicationFactory<Program> factory) => Factory = factory;

    public WebApplicationFactory<Program> Factory { get; }
    public string StatePath => _state.Path;

    /// <summary>Where the host answers: http://localhost for the TestServer, http://127.0.0.1:PORT/ on Kestrel.</summary>
    public Uri BaseUrl => Factory.ClientOptions.BaseAddress;

    public static Task<DemoHost> StartAsync(PostgresFixture postgres, DockerFixture docker) => StartAsync(postgres, docker, onLoopbackPort: false);

    /// <summary>The demo host, for tests that run a team's sandbox: skipped (never on CI) when the sandbox image is not built.</summary>
    public static async Task<DemoHost> StartWithSandboxImageAsync(PostgresFixture postgres, DockerFixture docker)
    {
        var host = await StartAsync(postgres, docker);
        if (await docker.Engine.InspectImageAsync(Sandboxes.SandboxHarness.Image, CancellationToken.None) is null)
        {
            await host.DisposeAsync();
            TestEnvironment.RequireOrSkip($"{Sandboxes.SandboxHarness.Image} is not built");
        }
        return host;
    }

    /// <summary>The same demo host, listening on Kestrel at a free port on 127.0.0.1 only (<see cref="BaseUrl"/>), for browser tests.</summary>
    public static Task<DemoHost> StartOnLoopbackAsync(PostgresFixture postgres, DockerFixture docker) => StartAsync(postgres, docker, onLoopbackPort: true);

    private static async Task<DemoHost> StartAsync(PostgresFixture postgres, DockerFixture docker, bool onLoopbackPort)
    {
        docker.Require();
        var connectionString = await postgres.CreateDatabaseAsync("demohost");
        DemoHost? host = null;
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Database:ConnectionString", connectionString);
            builder.UseSetting("Storage:StateDirectory", host!._state.Path);
            builder.UseSetting("Demo:Seed", "true");
            builder.UseSetting("Demo:Persons", "300");
            builder.UseSetting("Sandboxes:MemoryMb", "768");
            builder.UseSetting("Storage:PoliciesDirectory", Path.Combine(TestEnvironment.RepositoryRoot, "policies"));
        });
        host = new DemoHost(factory);
        if (onLoopbackPort)
        {
            // A free port on 127.0.0.1 and nothing else: an explicit endpoint, so the configured Urls (:5080) never applies.
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();   // runs migrations and the demo seed; BaseAddress becomes the bound address
            Assert.True(IPAddress.TryParse(host.BaseUrl.Host, out var address) && IPAddress.IsLoopback(address), $"demo host must listen on loopback only, got {host.BaseUrl}");
        }
        else
        {
            _ = factory.Server;   // start it: runs migrations and the demo seed
        }
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(host._state.Path, "demo", "accounts.txt")))
        {
            if (line.StartsWith('#')) continue;
            var parts = line.Split("  ");
            host._passwords[parts[0]] = parts[1];
        }
        return host;
    }

    public string PasswordOf(string username) => _passwords[username];

    /// <summary>
    /// A client of its own (cookies kept, redirects not followed). On Kestrel it is a plain HttpClient over the loopback
    /// port: the factory's own client there follows redirects whatever it is told.
    /// </summary>
    public HttpClient NewClient() => BaseUrl.IsLoopback && BaseUrl.Host != "localhost"
        ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = BaseUrl }
        : Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = BaseUrl });

    /// <summary>
    /// A client signed in through the real sign-in form (antiforgery token and all). A team member has then accepted the
    /// event's confidentiality declaration through its page too, as they must before using their team's sandbox,
    /// unless <paramref name="acceptDeclaration"/> is false (for tests of the declaration itself).
    /// </summary>
    public async Task<HttpClient> SignedInAsync(string username, bool acceptDeclaration = true)
    {
        var client = NewClient();
        using var response = await PostFormAsync(client, "/signin", new() { ["username"] = username, ["password"] = PasswordOf(username) });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        if (acceptDeclaration) await AcceptDeclarationAsync(client);
        return client;
    }

    /// <summary>
    /// Accepts the declaration in force through the real /declaration form when the signed-in account has one to
    /// accept; does nothing for an account that is not a team member, or that accepted it already.
    /// </summary>
    public static async Task AcceptDeclarationAsync(HttpClient client)
    {
        using var page = await client.GetAsync("/declaration");
        if (page.StatusCode != HttpStatusCode.OK) return;   // not a team member: redirected to /denied
        var html = await page.Content.ReadAsStringAsync();
        var form = DeclarationForm().Match(html);
        if (!form.Success) return;                            // accepted already, or the event has no declaration
        using var accepted = await client.PostAsync("/declaration", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Version"] = form.Groups[1].Value, ["Sha256"] = form.Groups[2].Value, ["Accept"] = "true", ["__RequestVerificationToken"] = FormToken(html),
        }));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    /// <summary>GETs the form page for its antiforgery token, then POSTs the fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetStringAsync(formPage ?? path);
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(page).Groups[1].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>Runs Python in the team's running sandbox as the sandbox user (as a notebook cell would) and fails the test if it fails.</summary>
    public async Task RunPythonInSandboxAsync(string team, string python)
    {
        var events = Factory.Services.GetRequiredService<Datakamp.Data.Repositories.EventRepository>();
        var demo = (await events.FindEventAsync(Datakamp.Domain.Slug.Parse("demo", "event"), CancellationToken.None))!;
        var teamId = (await events.ListTeamsAsync(demo.Id, CancellationToken.None)).Single(t => t.Slug.Value == team).Id;
        var sandbox = (await Factory.Services.GetRequiredService<Datakamp.Data.Repositories.SandboxRepository>().FindAsync(teamId, CancellationToken.None))!;
        var result = await Factory.Services.GetRequiredService<IContainerEngine>().ExecAsync(sandbox.ContainerName, new ExecSpec { Cmd = ["python3", "-c", python] }, CancellationToken.None);
        Assert.True(result.ExitCode == 0, result.Output.StdoutText + result.Output.StderrText);
    }

    /// <summary>The antiforgery token of the (first) form on a page.</summary>
    public static string FormToken(string html) => AntiforgeryToken().Match(html).Groups[1].Value;

    /// <summary>The one-time submission key of the submit form on a page.</summary>
    public static string SubmissionKeyOf(string html) => SubmissionKey().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("name=\"Version\" value=\"(\\d+)\">\\s*<input type=\"hidden\" name=\"Sha256\" value=\"([0-9a-f]{64})\"")]
    private static partial Regex DeclarationForm();

    [GeneratedRegex("name=\"SubmissionKey\" value=\"([0-9a-f-]{36})\"")]
    private static partial Regex SubmissionKey();

    public async ValueTask DisposeAsync()
    {
        // Remove the sandboxes this host started (its installation's label), then the host and its folder.
        var engine = Factory.Services.GetRequiredService<IContainerEngine>();
        var installation = await Factory.Services.GetRequiredService<SandboxPlanner>().InstallationAsync(CancellationToken.None);
        foreach (var container in await engine.ListContainersAsync([$"{SandboxSpecBuilder.InstallationLabel}={installation}"], CancellationToken.None))
            await engine.RemoveContainerAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None);
        await Factory.DisposeAsync();
        _state.Dispose();
    }
}
