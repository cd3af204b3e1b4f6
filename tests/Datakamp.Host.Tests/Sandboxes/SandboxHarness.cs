using Datakamp.Data;
using Dapper;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Docker;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Host.Ide;
using Datakamp.Host.Options;
using Datakamp.Host.Sandboxes;
using Datakamp.Host.Startup;
using Datakamp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Datakamp.Host.Tests.Sandboxes;

/// <summary>
/// The real sandbox manager against the real engine, the real analysis image and a real migrated
/// database: an event with teams A and B, and a persons dataset granted to A only.
/// </summary>
internal sealed class SandboxHarness : IAsyncDisposable
{
    public const string Image = "datakamp/python:bookworm";
    private static int _counter;

    private SandboxHarness(NpgsqlDataSource db, ScratchStateDirectory state, DockerDotNetEngine engine, Event dk, Team a, Team b, string dataFile)
    {
        Db = db;
        State = state;
        Engine = engine;
        Event = dk;
        TeamA = a;
        TeamB = b;
        DataFile = dataFile;
        Database = Database.OpenedOn(db);
        Events = new EventRepository(Database);
        Datasets = new DatasetRepository(Database);
        SandboxRecords = new SandboxRepository(Database);
        Registry = new IdeSessionRegistry();
        Planner = new SandboxPlanner(Events, Datasets, SandboxRecords, Microsoft.Extensions.Options.Options.Create(Options),
            Microsoft.Extensions.Options.Options.Create(new StorageOptions { StateDirectory = state.Path }), TimeProvider.System);
        Runtime = new DockerSandboxRuntime(engine);
        Manager = ManagerOn(Runtime);
        Reconciler = new SandboxReconciler(Manager, Planner, SandboxRecords, Runtime, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<SandboxReconciler>.Instance);
    }

    public NpgsqlDataSource Db { get; }
    public Database Database { get; }
    public EventRepository Events { get; }
    public DatasetRepository Datasets { get; }
    /// <summary>The stored sandboxes (the repository; <see cref="Manager"/> acts on them).</summary>
    public SandboxRepository SandboxRecords { get; }
    public ScratchStateDirectory State { get; }
    /// <summary>The engine client the host uses (Docker.DotNet).</summary>
    public DockerDotNetEngine Engine { get; }
    /// <summary>The sandbox runtime the host uses, on <see cref="Engine"/>.</summary>
    public DockerSandboxRuntime Runtime { get; }
    public Event Event { get; }
    public Team TeamA { get; }
    public Team TeamB { get; }
    public string DataFile { get; }
    public IdeSessionRegistry Registry { get; }
    public IdeConnections Connections { get; } = new();
    public SandboxPlanner Planner { get; }

    public SandboxManager Manager { get; }

    /// <summary>A manager of this harness's sandboxes that runs them on <paramref name="runtime"/>.</summary>
    public SandboxManager ManagerOn(ISandboxRuntime runtime) =>
        new(runtime, Events, SandboxRecords, new AuditTrail(Database), Planner, new IdeReadiness(runtime, Registry, Connections, Microsoft.Extensions.Options.Options.Create(Options)), Registry,
            Microsoft.Extensions.Options.Options.Create(Options), Microsoft.Extensions.Options.Options.Create(new StorageOptions { StateDirectory = State.Path }),
            NullLogger<SandboxManager>.Instance);
    public SandboxReconciler Reconciler { get; }
    /// <summary>The manager's options: tests may change them (e.g. the free-space minimum) before they act.</summary>
    public SandboxOptions Options { get; } = new() { MemoryMb = 768, Cpus = 0.5, PidsLimit = 256, TmpMb = 64, ReadyTimeoutSeconds = 60, WorkspaceQuotaMb = 64 };

    /// <summary>The team's folders on the host, as the manager lays them out.</summary>
    public SandboxFolders FoldersOf(Team team) => SandboxFolders.For(State.Path, Event.Slug.Value, team.Slug.Value);

    /// <summary>
    /// The event on <paramref name="image"/> (default <see cref="Image"/>); the persons dataset holds <paramref name="personsCsv"/>
    /// (header row first; default two persons with an income).
    /// </summary>
    public static async Task<SandboxHarness> StartAsync(PostgresFixture postgres, DockerFixture docker, string image = Image, string? personsCsv = null)
    {
        docker.Require();
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(image, CancellationToken.None) is null
            ? $"the analysis image {image} is not built (bash scripts/setup builds it)" : null);
        var db = await postgres.CreateMigratedDatabaseAsync("sandboxes");
        var state = new ScratchStateDirectory();
        var database = Database.OpenedOn(db);
        var events = new EventRepository(database);
        var n = Interlocked.Increment(ref _counter);
        var dk = await events.CreateEventAsync(Slug.Parse($"sbx{n}", "event"), "Sandbox test", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 24), CancellationToken.None);
        var a = await events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "Team A", CancellationToken.None);
        var b = await events.CreateTeamAsync(dk.Id, Slug.Parse("b", "team"), "Team B", CancellationToken.None);

        var dataFile = Path.Combine(state.Path, "persons.csv");
        personsCsv ??= "person_id,income\nP1,100\nP2,200\n";
        await File.WriteAllTextAsync(dataFile, personsCsv);
        // Writable by everyone on the host, so that only the read-only bind can stop a sandbox from writing it.
        File.SetUnixFileMode(dataFile, (UnixFileMode)0b110_110_110);
        var datasets = new DatasetRepository(database);
        var persons = await datasets.RegisterAsync(new Dataset(0, dk.Id, "persons", "", dataFile, new string('a', 64), 30, personsCsv[..personsCsv.IndexOf('\n')].Split(','), "person_id", "cbs-persons"), CancellationToken.None);
        await datasets.GrantAsync(new DatasetGrant(persons.Id, a.Id, "test", "staff:test", DateTimeOffset.UtcNow), GrantCalendar.Today(TimeProvider.System), CancellationToken.None);
        var harness = new SandboxHarness(db, state, new DockerDotNetEngine(new DockerEngineOptions()), dk, a, b, dataFile);
        if (image == Image) return harness;
        try
        {
            await harness.SetEventImageAsync(image);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public async Task SetEventImageAsync(string image)
    {
        await using var connection = await Db.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE events SET sandbox_image = @image WHERE id = @id", new { image, id = Event.Id });
    }

    public async Task<string> ContainerNameAsync(Team team) =>
        (await SandboxRecords.FindAsync(team.Id, CancellationToken.None))!.ContainerName;

    /// <summary>Runs a command in the team's sandbox as the sandbox user and returns (exit code, stdout+stderr).</summary>
    public async Task<(long ExitCode, string Output)> ExecAsync(Team team, params string[] command)
    {
        var result = await Engine.ExecAsync(await ContainerNameAsync(team), new ExecSpec { Cmd = command }, CancellationToken.None);
        return (result.ExitCode, result.Output.StdoutText + result.Output.StderrText);
    }

    public async ValueTask DisposeAsync()
    {
        var installation = await Planner.InstallationAsync(CancellationToken.None);
        foreach (var container in await Engine.ListContainersAsync([$"{SandboxSpecBuilder.InstallationLabel}={installation}"], CancellationToken.None))
            await Engine.RemoveContainerAsync(container.Id, force: true, removeVolumes: true, CancellationToken.None);
        Connections.Dispose();
        Engine.Dispose();
        await Db.DisposeAsync();
        State.Dispose();   // unmounts the teams' disk images too
    }
}
