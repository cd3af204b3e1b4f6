using Dapper;
using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Host.Tests.Admin;

/// <summary>
/// A migrated database of its own for the staff verbs: event dk (team zuid, dataset persons) and event other (team noord,
/// dataset firms); runs the real executable against it and reads back what the verbs audited.
/// </summary>
internal sealed class AdminWorld(NpgsqlDataSource db, string connectionString, Dataset persons) : IAsyncDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly ScratchStateDirectory _state = new();

    public NpgsqlDataSource Db => db;

    /// <summary>The datasets of this database, to read back what a verb wrote.</summary>
    public DatasetRepository Datasets { get; } = new(Database.OpenedOn(db));

    public Dataset Persons => persons;

    /// <summary>A scratch folder for files the test hands to a verb.</summary>
    public string Folder => _state.Path;

    public static async Task<AdminWorld> CreateAsync(PostgresFixture postgres, string purpose)
    {
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        var connectionString = await postgres.CreateDatabaseAsync(purpose);
        var db = DataSourceFactory.Create(connectionString, TimeSpan.FromSeconds(5));
        await new Migrator(db, Migration.Embedded, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).MigrateAsync(Ct);
        var database = Database.OpenedOn(db);
        var events = new EventRepository(database);
        var datasets = new DatasetRepository(database);
        var dk = await events.CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        var other = await events.CreateEventAsync(Slug.Parse("other", "event"), "Other", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        await events.CreateTeamAsync(dk.Id, Slug.Parse("zuid", "team"), "Zuid", Ct);
        await events.CreateTeamAsync(other.Id, Slug.Parse("noord", "team"), "Noord", Ct);
        var persons = await datasets.RegisterAsync(new Dataset(0, dk.Id, "persons", "", "/srv/persons.csv", new string('a', 64), 10, ["person_id"], "person_id", "cbs-persons"), Ct);
        await datasets.RegisterAsync(new Dataset(0, other.Id, "firms", "", "/srv/firms.csv", new string('b', 64), 10, ["firm_id"], "firm_id", "cbs-persons"), Ct);
        return new AdminWorld(db, connectionString, persons);
    }

    /// <summary>Runs <c>datakamp admin VERB …</c> on this database, with the repository's policies folder.</summary>
    public Task<(int Exit, string Output, string Error)> RunAsync(params string[] verb) =>
        AdminCommandTests.RunAsync(["admin", .. verb, _state.Setting, $"--Database:ConnectionString={connectionString}",
            $"--Storage:PoliciesDirectory={Path.Combine(TestEnvironment.RepositoryRoot, "policies")}"]);

    /// <summary>Every audit event so far, oldest first: its action and details.</summary>
    public async Task<List<(string Action, string Details)>> AuditAsync()
    {
        await using var connection = await db.OpenConnectionAsync(Ct);
        return (await connection.QueryAsync<(string, string)>("SELECT action, details FROM audit_events ORDER BY seq")).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await db.DisposeAsync();
        _state.Dispose();
    }
}
