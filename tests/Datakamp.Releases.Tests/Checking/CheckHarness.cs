using Datakamp.Data;
using System.Security.Cryptography;
using System.Text;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Domain.Releases;
using Datakamp.Releases;
using Datakamp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Datakamp.Releases.Tests;

/// <summary>
/// The automated check against a real migrated database and a real content store, without a sandbox: an event with
/// team A, whose member submits; a small persons dataset (granted to A) in which wijk WK01 has 3 persons and WK02 has
/// 12; a households dataset that is not granted. Requests are recorded as the workflow records them, from files put
/// into the store.
/// </summary>
internal sealed class CheckHarness : IAsyncDisposable
{
    private static int _counter;

    private CheckHarness(NpgsqlDataSource db, ScratchFolder state, Team team, Account member, Dataset persons)
    {
        Db = db;
        State = state;
        Team = team;
        Member = member;
        Persons = persons;
        Database = Database.OpenedOn(db);
        Store = new ContentStore(System.IO.Path.Combine(state.Path, "store"));
        Caches = DatasetCaches.In(state.Path);
        var folders = new CheckerFolders(System.IO.Path.Combine(state.Path, "check"), System.IO.Path.Combine(TestEnvironment.RepositoryRoot, "policies"));
        Checker = new RequestChecker(new DatasetRepository(Database), Store, folders, Caches, TimeProvider.System, NullLogger<RequestChecker>.Instance);
    }

    public NpgsqlDataSource Db { get; }
    public Database Database { get; }
    public ScratchFolder State { get; }
    public Team Team { get; }
    public Account Member { get; }
    public Dataset Persons { get; }
    public ContentStore Store { get; }
    public RequestChecker Checker { get; }
    public DatasetCaches Caches { get; }
    public ReleaseRepository Releases => new(Database);
    public ReleaseCheckQueue Queue => new(Db);

    /// <summary>3 persons in WK01 (unsafe under a threshold of 10), 12 in WK02; person P01 has two rows.</summary>
    public const string PersonsCsv = "person_id,wijk,income\nP01,WK01,100\nP01,WK01,50\nP02,WK01,200\nP03,WK01,300\n"
        + "P04,WK02,10\nP05,WK02,20\nP06,WK02,30\nP07,WK02,40\nP08,WK02,50\nP09,WK02,60\nP10,WK02,70\nP11,WK02,80\nP12,WK02,90\nP13,WK02,100\nP14,WK02,110\nP15,WK02,120\n";

    public static async Task<CheckHarness> StartAsync(PostgresFixture postgres)
    {
        var db = await postgres.CreateMigratedDatabaseAsync("checks");
        var state = new ScratchFolder();
        var ct = CancellationToken.None;
        var database = Database.OpenedOn(db);
        var events = new EventRepository(database);
        var n = Interlocked.Increment(ref _counter);
        var dk = await events.CreateEventAsync(Slug.Parse($"chk{n}", "event"), "Check test", new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3), ct);
        var team = await events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "Team A", ct);
        var member = await new AccountRepository(database).CreateAsync($"a{n}", "Member of A", false, false, team.Id, ct);

        var datasets = new DatasetRepository(database);
        var persons = await RegisterAsync(datasets, dk.Id, "persons", PersonsCsv, ["person_id", "wijk", "income"], "person_id", state.Path);
        await datasets.GrantAsync(new DatasetGrant(persons.Id, team.Id, "poverty by wijk", "staff:test", DateTimeOffset.UtcNow), GrantCalendar.Today(TimeProvider.System), ct);
        await RegisterAsync(datasets, dk.Id, "households", "household_id,size\nH1,2\n", ["household_id", "size"], "household_id", state.Path);
        return new CheckHarness(db, state, team, member, persons);
    }

    private static async Task<Dataset> RegisterAsync(DatasetRepository datasets, long eventId, string name, string csv, string[] columns, string unit, string folder)
    {
        var file = System.IO.Path.Combine(folder, name + ".csv");
        await File.WriteAllTextAsync(file, csv);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv)));
        return await datasets.RegisterAsync(new Dataset(0, eventId, name, "", file, sha, csv.Length, columns, unit, "cbs-persons"), CancellationToken.None);
    }

    /// <summary>A count table by wijk on persons, as the helper writes it: the spec and the table.</summary>
    public static Dictionary<string, string> CountByWijk(string name = "by_wijk", string dataset = "persons", string? filter = null) => new()
    {
        [$"{name}.spec.yaml"] = $"version: 1\nkind: table\ndataset: {dataset}\nunit: person_id\nrows: [wijk]\nstatistic: count\n"
            + (filter is null ? "" : $"filter: '{filter}'\n") + $"file: {name}.csv\n",
        [$"{name}.csv"] = "wijk,value\nWK01,3\nWK02,12\n",
    };

    /// <summary>Puts the files into the store and records a submitted request of team A, as the workflow does.</summary>
    public async Task<long> SubmitAsync(IReadOnlyDictionary<string, byte[]> files, Guid? key = null)
    {
        var stored = new List<NewReleaseFile>();
        foreach (var (name, bytes) in files)
        {
            var content = await Store.PutAsync(new MemoryStream(bytes), 10_000_000, CancellationToken.None);
            stored.Add(new NewReleaseFile(name, content.Sha256, content.Size, OutboxNames.MediaTypeOf(name) ?? "application/octet-stream"));
        }
        var release = new NewRelease(Team.Id, Member.Id, $"account:{Member.Username}", "Poverty by wijk", key ?? Guid.NewGuid(), stored);
        var (id, _) = await Releases.SubmitAsync(release, DateTimeOffset.UtcNow,
            newId => new AuditEntry($"account:{Member.Username}", AuditActions.ReleaseSubmitted, "release_request", newId.ToString(), Team.EventId, Team.Id), CancellationToken.None);
        return id;
    }

    public Task<long> SubmitAsync(IReadOnlyDictionary<string, string> files) =>
        SubmitAsync(files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetBytes(f.Value)));

    /// <summary>Claims and checks queued versions until the queue is empty; returns how many were claimed.</summary>
    public async Task<int> DrainAsync()
    {
        var claimed = 0;
        while (await Queue.ClaimNextAsync(CancellationToken.None) is { } claim)
        {
            await using (claim) await Checker.CheckAsync(claim, CancellationToken.None);
            claimed++;
        }
        return claimed;
    }

    public async Task<ReleaseFile> FileAsync(long requestId, string name) =>
        (await Releases.FindAsync(requestId, CancellationToken.None))!.CurrentFiles.Single(f => f.Name == name);

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        State.Dispose();
    }
}
