using Datakamp.Data;
using Datakamp.Data.Embedded;
using Datakamp.Host.Options;
using Datakamp.Host.Startup;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Datakamp.Host.Cli;

/// <summary>
/// The database a command-line verb works on: the configured server, or the embedded cluster in the
/// state folder, whether a host is running it right now (then we connect to that server) or not
/// (then we start it for the duration of the command and stop it again).
/// </summary>
internal sealed class DatabaseForCommand : IAsyncDisposable
{
    private readonly EmbeddedPostgresCluster? _ownedCluster;

    private DatabaseForCommand(NpgsqlDataSource dataSource, EmbeddedPostgresCluster? ownedCluster)
    {
        DataSource = dataSource;
        _ownedCluster = ownedCluster;
    }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<DatabaseForCommand> OpenAsync(CommandConfiguration configuration, CancellationToken cancellationToken)
    {
        var database = configuration.Database;
        var timeout = TimeSpan.FromSeconds(database.ConnectTimeoutSeconds);
        if (!database.UsesEmbeddedCluster)
            return new DatabaseForCommand(DataSourceFactory.Create(database.ConnectionString!, timeout), null);

        var root = Path.Combine(configuration.Storage.ResolvedStateDirectory, "postgres");
        if (!File.Exists(Path.Combine(root, "data", "PG_VERSION")))
            throw new StartupException($"no Datakamp database in {root}: start the host once ('bash scripts/run'), or give --Storage:StateDirectory or --Database:ConnectionString.", ExitCodes.Unavailable);

        var running = EmbeddedPostgresCluster.ConnectionStringToRunningServer(root);
        if (running is not null) return new DatabaseForCommand(DataSourceFactory.Create(running, timeout), null);

        var cluster = await EmbeddedPostgresCluster.StartAsync(
            new EmbeddedPostgresOptions { RootDirectory = root, ServerUser = database.ServerUser, BinDirectory = string.IsNullOrWhiteSpace(database.PostgresBinDirectory) ? null : database.PostgresBinDirectory },
            NullLogger.Instance, cancellationToken);
        return new DatabaseForCommand(DataSourceFactory.Create(cluster.ConnectionString, timeout), cluster);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_ownedCluster is not null) await _ownedCluster.StopAsync(CancellationToken.None);
    }
}
