using Datakamp.Domain.Events;
using Datakamp.Host.Accounts;
using System.Net;
using System.Reflection;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Docker;
using Datakamp.Domain;
using Datakamp.Host.Ide;
using Datakamp.Host.Options;
using Datakamp.Host.Sandboxes;
using Datakamp.Host.Startup;
using Datakamp.TestSupport;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Datakamp.Benchmarks.Sandboxes;

/// <summary>
/// Datakamp's own path: the real <see cref="SandboxManager"/> (real migrated database, real engine,
/// real image, every hardening flag) starts N teams' sandboxes at once; then each team asks for
/// <c>/ide/{event}/{team}/api/kernelspecs</c> through the real <see cref="IdeProxy"/> on loopback.
/// Ready = that request answered 200 with the python3 kernel.
/// </summary>
internal sealed class DatakampSandboxes : IAsyncDisposable
{
    private readonly NpgsqlDataSource _db;
    private readonly EventRepository _events;
    private readonly SandboxRepository _sandboxes;
    private readonly TimingEngine _engine;
    private readonly DockerDotNetEngine _realEngine;
    private readonly IdeConnections _connections = new();
    private readonly IdeSessionRegistry _registry = new();
    private readonly SandboxPlanner _planner;
    private readonly SandboxManager _manager;
    private readonly WebApplication _proxy;
    private HttpClient _browser = null!;
    private readonly string _method;
    private int _batch;

    private DatakampSandboxes(NpgsqlDataSource db, DockerDotNetEngine engine, KeyValuePair<string, string> benchmarkLabel, int inspectCacheMs, string stateDirectory, SandboxOptions options, WebApplication proxy)
    {
        _db = db;
        _realEngine = engine;
        _engine = new TimingEngine(engine, benchmarkLabel, inspectCacheMs);
        _method = inspectCacheMs > 0 ? $"Datakamp (what-if: inspect ≤ 1 per {inspectCacheMs} ms)" : "Datakamp";
        var database = Database.OpenedOn(db);
        _events = new EventRepository(database);
        _sandboxes = new SandboxRepository(database);
        var storage = Options.Create(new StorageOptions { StateDirectory = stateDirectory });
        _planner = new SandboxPlanner(_events, new DatasetRepository(database), _sandboxes, Options.Create(options), storage, TimeProvider.System);
        // The timing engine sits under the runtime, as the host's engine does: it still sees every engine call.
        var runtime = new DockerSandboxRuntime(_engine);
        _manager = new SandboxManager(runtime, _events, _sandboxes, new Datakamp.Data.Audit.AuditTrail(database), _planner,
            new IdeReadiness(runtime, _registry, _connections, Options.Create(options)), _registry, Options.Create(options), storage, NullLogger<SandboxManager>.Instance);
        _proxy = proxy;
    }

    public static async Task<DatakampSandboxes> StartAsync(PostgresFixture postgres, DockerDotNetEngine engine, KeyValuePair<string, string> benchmarkLabel, int inspectCacheMs, string stateDirectory, SandboxOptions options)
    {
        var db = await postgres.CreateMigratedDatabaseAsync("sandbox-bench");
        var self = (DatakampSandboxes?)null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        // Not the console lifetime: it would take SIGTERM/SIGINT and end the process before the cleanup in Program runs.
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.AddAuthentication(HeaderSignIn.Name).AddScheme<AuthenticationSchemeOptions, HeaderSignIn>(HeaderSignIn.Name, null);
        // The proxy finds sessions in the manager's registry and shares its connection pools, as in the host.
        builder.Services.AddSingleton<IIdeSessionDirectory>(_ => self!._registry);
        builder.Services.AddSingleton(_ => self!._connections);
        builder.Services.AddSingleton(new IdeActivity(TimeProvider.System));
        // What else the host's proxy asks for, as in IdeProxyTests: YARP's forwarder, the problems shown to teams, and
        // the declaration gate and the session audit, which have nothing to do here (no declarations, no audit trail).
        builder.Services.AddHttpForwarder();
        builder.Services.AddSingleton(new IdeProblems(TimeProvider.System));
        builder.Services.AddSingleton<IDeclarationGate, NothingDue>();
        builder.Services.AddSingleton<IIdeSessionLog, Unrecorded>();
        var proxy = builder.Build();
        proxy.UseWebSockets();
        proxy.UseAuthentication();
        proxy.MapIdeProxy();
        self = new DatakampSandboxes(db, engine, benchmarkLabel, inspectCacheMs, stateDirectory, options, proxy);
        await proxy.StartAsync();
        // The "browser": a plain HttpClient to the proxy's loopback address, signed in by header.
        var url = proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        self._browser = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(30),
        };
        return self;
    }

    /// <summary>The label every container of this installation (database) carries: what cleanup removes.</summary>
    public async Task<string> InstallationLabelAsync() =>
        $"{SandboxSpecBuilder.InstallationLabel}={await _planner.InstallationAsync(CancellationToken.None)}";

    public async Task<BatchResult> RunBatchAsync(int n, int run, CancellationToken cancellationToken)
    {
        // A new event per batch: every start creates a new container, as at the start of a hackathon.
        var number = Interlocked.Increment(ref _batch);
        var dk = await _events.CreateEventAsync(Slug.Parse($"bench{number}", "event"), $"Benchmark batch {number}", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 24), cancellationToken);
        var teams = new List<Datakamp.Domain.Events.Team>();
        for (var i = 1; i <= n; i++)
            teams.Add(await _events.CreateTeamAsync(dk.Id, Slug.Parse($"t{i:00}", "team"), $"Team {i}", cancellationToken));
        _engine.Clear();

        var cpu = CpuMeter.Start();
        var commands = CpuMeter.ByCommand();
        var exceptions = Clock.Exceptions;
        var begin = Clock.Now;
        var timings = await Task.WhenAll(teams.Select(team => Task.Run(() => StartOneAsync(dk.Slug.Value, team, begin, cancellationToken), cancellationToken)));
        var wall = Clock.Now - begin;
        return new BatchResult(_method, n, run, wall, timings) { Cpu = cpu.Stop(), TopCommands = CpuMeter.Top(commands), Exceptions = Clock.Exceptions - exceptions, MedianInspects = Stats.Median(_engine.All.Select(t => (double)t.Inspects)) };
    }

    private async Task<SandboxTiming> StartOneAsync(string eventSlug, Datakamp.Domain.Events.Team team, double begin, CancellationToken cancellationToken)
    {
        var name = $"{eventSlug}/{team.Slug.Value}";
        try
        {
            await _manager.StartAsync(team.Id, "staff:benchmark", cancellationToken);
            var started = Clock.Now;
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/ide/{eventSlug}/{team.Slug.Value}/api/kernelspecs");
            request.Headers.Add(HeaderSignIn.Header, IdeAccess.TeamClaimValue(eventSlug, team.Slug.Value));
            using var response = await _browser.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var ready = Clock.Now;
            if (response.StatusCode != HttpStatusCode.OK || !body.Contains("python3", StringComparison.Ordinal))
                return SandboxTiming.Failed(name, ready - begin, $"the proxy answered {(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}");

            var container = (await _sandboxes.FindAsync(team.Id, cancellationToken))!.ContainerName;
            var engine = _engine.For(container);
            return new SandboxTiming(name, ready - begin,
            [
                ("prepare", engine.CreateBegin - begin),              // records, plan, inspect, image check, folders
                ("create", engine.CreateEnd - engine.CreateBegin),
                ("start", engine.StartEnd - engine.CreateEnd),         // inspect + folders + start
                ("jupyter", started - engine.StartEnd),                // polls every 100 ms (inspect + GET api/status), audit
                ("proxy", ready - started),                            // the one request through IdeProxy
            ]);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return SandboxTiming.Failed(name, Clock.Now - begin, e.Message);
        }
    }

    /// <summary>Removes every container of this installation (between batches, and at the end).</summary>
    public async Task RemoveContainersAsync()
    {
        var label = await InstallationLabelAsync();
        var containers = await _realEngine.ListContainersAsync([label], CancellationToken.None);
        await Task.WhenAll(containers.Select(c => _realEngine.RemoveContainerAsync(c.Id, force: true, removeVolumes: true, CancellationToken.None)));
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await _proxy.DisposeAsync();
        _connections.Dispose();
        await _db.DisposeAsync();
    }

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Benchmark sign-in: the team named in a request header (as <c>event/team</c>), standing in for the host's cookie sign-in.</summary>
    private sealed class HeaderSignIn(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "benchmark";
        public const string Header = "X-Benchmark-Team";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var team = Request.Headers[Header].ToString();
            if (team.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, $"member-of-{team}"), new Claim(IdeAccess.TeamClaim, team)], Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Name)));
        }
    }

    private sealed class NothingDue : IDeclarationGate
    {
        public Task<Declaration?> DueAsync(ClaimsPrincipal user, CancellationToken cancellationToken) => Task.FromResult<Declaration?>(null);
    }

    private sealed class Unrecorded : IIdeSessionLog
    {
        public Task SeenAsync(ClaimsPrincipal user, IdeSession session, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
