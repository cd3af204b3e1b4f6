using Datakamp.Data.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datakamp.TestSupport;

/// <summary>
/// One real PostgreSQL cluster per test assembly, started through the product's own embedded-cluster
/// code (no database mocks). Each test class takes its own database from it.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static int _databaseCounter;
    private EmbeddedPostgresCluster? _cluster;
    private string? _directory;

    /// <summary>Why PostgreSQL is not available, or null when it is.</summary>
    public string? UnavailableReason { get; private set; }

    public EmbeddedPostgresCluster Cluster
    {
        get
        {
            TestEnvironment.RequireOrSkip(UnavailableReason);
            return _cluster!;
        }
    }

    public async ValueTask InitializeAsync()
    {
        _directory = TestEnvironment.CreateScratchDirectory("pg");
        try
        {
            _cluster = await EmbeddedPostgresCluster.StartAsync(
                new EmbeddedPostgresOptions { RootDirectory = Path.Combine(_directory, "postgres"), Durable = false },
                NullLogger.Instance, CancellationToken.None);
        }
        catch (EmbeddedPostgresException e)
        {
            UnavailableReason = $"PostgreSQL unavailable: {e.Message}";
        }
    }

    /// <summary>A new, empty database with a unique name; returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"t{Interlocked.Increment(ref _databaseCounter)}_{new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30).ToArray())}";
        return Cluster.CreateDatabaseAsync(name, CancellationToken.None);
    }

    /// <summary>A new database with every embedded migration applied, as a host would leave it.</summary>
    public async Task<Npgsql.NpgsqlDataSource> CreateMigratedDatabaseAsync(string purpose)
    {
        var dataSource = Datakamp.Data.DataSourceFactory.Create(await CreateDatabaseAsync(purpose), TimeSpan.FromSeconds(5));
        await new Datakamp.Data.Migrator(dataSource, Datakamp.Data.Migration.Embedded, NullLogger<Datakamp.Data.Migrator>.Instance).MigrateAsync(CancellationToken.None);
        return dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.StopAsync(CancellationToken.None);
        if (_directory is not null) TryDelete(_directory);
    }

    internal static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
