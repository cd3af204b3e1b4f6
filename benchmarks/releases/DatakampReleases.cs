using System.Security.Cryptography;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Domain.Releases;
using Datakamp.Host.Demo;
using Datakamp.Releases;
using Datakamp.Data;
using Datakamp.TestSupport;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Datakamp.Benchmarks.Releases;

/// <summary>
/// The release path as the host runs it: a migrated database with an event, a team, a member and the persons dataset
/// (registered with its SHA-256 under policy cbs-persons, granted to the team), the content store, and the real
/// <see cref="CheckWorker"/> started as the host's hosted service, woken by <see cref="CheckSignal"/> at each submit.
/// </summary>
internal sealed class DatakampReleases : IAsyncDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    private readonly NpgsqlDataSource _db;
    private readonly ContentStore _store;
    private readonly CheckSignal _signal;
    private readonly CheckWorker _worker;
    private readonly Team _team;
    private readonly Account _member;
    private readonly int _pollMs;

    private DatakampReleases(NpgsqlDataSource db, ReleaseRepository releases, ContentStore store, CheckSignal signal, CheckWorker worker, Team team, Account member, int pollMs) =>
        (_db, Releases, _store, _signal, _worker, _team, _member, _pollMs) = (db, releases, store, signal, worker, team, member, pollMs);

    private ReleaseRepository Releases { get; }

    public static async Task<DatakampReleases> StartAsync(PostgresFixture postgres, string stateDirectory, string personsCsv, int pollMs, ILoggerFactory loggers)
    {
        var ct = CancellationToken.None;
        var db = await postgres.CreateMigratedDatabaseAsync("releasebench");
        var database = Database.OpenedOn(db);
        var events = new EventRepository(database);
        var demo = await events.CreateEventAsync(Slug.Parse("bench", "event"), "Release benchmark", DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2), ct);
        var team = await events.CreateTeamAsync(demo.Id, Slug.Parse("noord", "team"), "Team Noord", ct);
        var member = await new AccountRepository(database).CreateAsync("bench-member", "Benchmark member", false, false, team.Id, ct);
        var datasets = new DatasetRepository(database);
        string sha;
        await using (var file = File.OpenRead(personsCsv)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
        var persons = await datasets.RegisterAsync(new Dataset(0, demo.Id, DemoEventSeeder.DatasetName, "Synthetic persons", personsCsv, sha,
            new FileInfo(personsCsv).Length, SyntheticPersons.Columns, "person_id", "cbs-persons"), ct);
        // Cached at registration, as staff registration does.
        var caches = DatasetCaches.In(stateDirectory);
        await caches.BuildAsync(personsCsv, sha, ct);
        await datasets.GrantAsync(new DatasetGrant(persons.Id, team.Id, "benchmark", "staff:bench", DateTimeOffset.UtcNow), GrantCalendar.Today(TimeProvider.System), ct);

        // Wired as ReleasesSetup.AddDatakampReleases wires them (singletons; the worker is a hosted service).
        var releases = new ReleaseRepository(database);
        var store = new ContentStore(Path.Combine(stateDirectory, "store"));
        var folders = new CheckerFolders(Path.Combine(stateDirectory, "check"), Path.Combine(TestEnvironment.RepositoryRoot, "policies"));
        var signal = new CheckSignal();
        var checker = new RequestChecker(datasets, store, folders, caches, TimeProvider.System, loggers.CreateLogger<RequestChecker>());
        // The worker needs the workflow only to publish approved requests (none here); it never takes from an outbox,
        // so the intake has no container engine.
        var workflow = new ReleaseWorkflow(releases, new SandboxRepository(database), new OutboxIntake(null!, store), store, signal, IntakeLimits.Default, new Datakamp.Data.Audit.AuditTrail(database), TimeProvider.System,
            loggers.CreateLogger<ReleaseWorkflow>());
        var worker = new CheckWorker(database, releases, checker, workflow, signal, loggers.CreateLogger<CheckWorker>());
        await worker.StartAsync(ct);
        return new DatakampReleases(db, releases, store, signal, worker, team, member, pollMs);
    }

    /// <summary>
    /// Puts the files into the store (not timed: the workflow's intake from the sandbox happens before it records the
    /// request), then records the request, wakes the worker as ReleaseWorkflow does, and polls every <c>pollMs</c> until it is checked.
    /// </summary>
    public async Task<Timing> SubmitAsync(TableFiles table, CancellationToken cancellationToken)
    {
        var stored = new List<NewReleaseFile>();
        foreach (var (name, bytes) in table.Files)
        {
            var content = await _store.PutAsync(new MemoryStream(bytes), IntakeLimits.Default.MaxFileBytes, cancellationToken);
            stored.Add(new NewReleaseFile(name, content.Sha256, content.Size, OutboxNames.MediaTypeOf(name) ?? "application/octet-stream"));
        }
        var actor = $"account:{_member.Username}";
        var release = new NewRelease(_team.Id, _member.Id, actor, $"Benchmark: {table.Name}", Guid.NewGuid(), stored);

        var start = Clock.Now;
        var submittedAt = DateTimeOffset.UtcNow;
        var (id, _) = await Releases.SubmitAsync(release, submittedAt,
            newId => AuditEntries.ForReleaseRequest(actor, AuditActions.ReleaseSubmitted, newId, _team.EventId, _team.Id),
            cancellationToken);
        _signal.Wake();
        var submitted = Clock.Now - start;
        while (true)
        {
            var record = await Releases.FindAsync(id, cancellationToken);
            if (record?.Request.State == ReleaseState.Checked)
            {
                var (ms, seenAt) = (Clock.Now - start, DateTimeOffset.UtcNow);
                var check = record.CurrentFiles.Single(f => f.Name == table.CsvName).Check;
                return new Timing(table.Name, ms, check?.ToString().ToLowerInvariant() ?? "none")
                {
                    Phases = await PhasesAsync(id, submittedAt, submitted, seenAt, cancellationToken),
                };
            }
            if (Clock.Now - start > GiveUpAfter.TotalMilliseconds)
                return new Timing(table.Name, Clock.Now - start, $"not checked after {GiveUpAfter.TotalSeconds:0} s (state {record?.Request.State})", Ok: false);
            await Task.Delay(_pollMs, cancellationToken);
        }
    }

    /// <summary>
    /// Where one submission's time went, from what the database kept (not timed): the claim's transaction began at
    /// <c>release_checks.done_at</c> (<c>now()</c> is the transaction's start) and the engine had finished at
    /// <c>release_files.checked_at</c>. Wall-clock times, so only good to a millisecond or so.
    /// </summary>
    private async Task<IReadOnlyList<(string Phase, double Ms)>> PhasesAsync(long id, DateTimeOffset submittedAt, double submitMs, DateTimeOffset seenAt, CancellationToken cancellationToken)
    {
        await using var command = _db.CreateCommand("""
            SELECT (SELECT min(done_at) FROM release_checks WHERE request_id = $1),
                   (SELECT max(checked_at) FROM release_files WHERE request_id = $1)
            """);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var claimedAt = reader.GetFieldValue<DateTimeOffset>(0);
        var checkedAt = reader.GetFieldValue<DateTimeOffset>(1);
        return
        [
            ("record the request", submitMs),
            ("wait for the worker's claim", (claimedAt - submittedAt).TotalMilliseconds - submitMs),
            ("check (store copy, engine)", (checkedAt - claimedAt).TotalMilliseconds),
            ("write results, commit, seen by the poller", (seenAt - checkedAt).TotalMilliseconds),
        ];
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
        await _db.DisposeAsync();
    }
}
