using Npgsql;

namespace Datakamp.Data;

/// <summary>
/// The host's database, available once the host has started (and migrated) it.
/// Repositories and health checks get their data source from here.
/// </summary>
public sealed class Database
{
    private NpgsqlDataSource? _dataSource;
    private Migrator? _migrator;

    public bool IsOpen => _dataSource is not null;

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The database is not started yet");

    public Migrator Migrator => _migrator ?? throw new InvalidOperationException("The database is not started yet");

    /// <summary>A database that is already open and migrated, for command-line verbs that use services made for the host.</summary>
    public static Database OpenedOn(NpgsqlDataSource dataSource)
    {
        var database = new Database();
        database.Open(dataSource, new Migrator(dataSource, Migration.Embedded, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance));
        return database;
    }

    internal void Open(NpgsqlDataSource dataSource, Migrator migrator)
    {
        _dataSource = dataSource;
        _migrator = migrator;
    }

    internal NpgsqlDataSource? Close()
    {
        var dataSource = _dataSource;
        _dataSource = null;
        _migrator = null;
        return dataSource;
    }
}
