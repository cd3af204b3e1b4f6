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
/// </summary>
internal sealed partial class DemoHost : IAsyncDisposable
{
    private readonly ScratchStateDirectory _state = new();
    private readonly Dictionary<string, string> _passwords = new();

    private DemoHost(WebApplicationFactory<Program> factory) => Factory = factory;

    public WebApplicationFactory<Program> Factory { get; }
    public string StatePath => _state.Path;

    public static async Task<DemoHost> StartAsync(PostgresFixture postgres, DockerFixture docker)
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
        });
        host = new DemoHost(factory);
        _ = factory.Server;   // start it: runs migrations and the demo seed
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(host._state.Path, "demo", "accounts.txt")))
        {
            if (line.StartsWith('#')) continue;
            var parts = line.Split("  ");
            host._passwords[parts[0]] = parts[1];
        }
        return host;
    }

    public string PasswordOf(string username) => _passwords[username];

    public HttpClient NewClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client signed in through the real sign-in form (antiforgery token and all).</summary>
    public async Task<HttpClient> SignedInAsync(string username)
    {
        var client = NewClient();
        using var response = await PostFormAsync(client, "/signin", new() { ["username"] = username, ["password"] = PasswordOf(username) });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>GETs the form page for its antiforgery token, then POSTs the fields with it.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetStringAsync(formPage ?? path);
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(page).Groups[1].Value;
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public async ValueTask DisposeAsync()
    {
        // Remove the sandboxes this host started (its installation's label), then the host and its folder.
        var manager = Factory.Services.GetRequiredService<SandboxManager>();
        var engine = Factory.Services.GetRequiredService<IContainerEngine>();
        var installation = await manager.InstallationAsync(CancellationToken.None);
        foreach (var container in await engine.ListContainersAsync([$"{SandboxSpecBuilder.InstallationLabel}={installation}"], CancellationToken.None))
            await engine.RemoveContainerAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None);
        await Factory.DisposeAsync();
        _state.Dispose();
    }
}
