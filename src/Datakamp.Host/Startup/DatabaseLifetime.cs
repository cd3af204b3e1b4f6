using Datakamp.Check;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Embedded;
using Datakamp.Host.Cli;
using Datakamp.Host.Options;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Datakamp.Host.Startup;

/// <summary>
/// Starts the database before anything uses it and stops it last: with no connection string the
/// host's own embedded cluster under the state folder, otherwise the configured server. Then it
/// applies pending migrations.
/// </summary>
public sealed class DatabaseLifetime(
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<StorageOptions> storageOptions,
    Database database,
    ILoggerFactory loggerFactory) : IHostedService
{
    private EmbeddedPostgresCluster? _cluster;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = databaseOptions.Value;
        string connectionString;
        if (options.UsesEmbeddedCluster)
        {
            _cluster = await EmbeddedPostgresCluster.StartAsync(new EmbeddedPostgresOptions
            {
                RootDirectory = Path.Combine(storageOptions.Value.ResolvedStateDirectory, "postgres"),
                BinDirectory = string.IsNullOrWhiteSpace(options.PostgresBinDirectory) ? null : options.PostgresBinDirectory,
                ServerUser = options.ServerUser,
            }, loggerFactory.CreateLogger<EmbeddedPostgresCluster>(), cancellationToken);
            connectionString = _cluster.ConnectionString;
        }
        else
        {
            connectionString = options.ConnectionString!;
        }

        var dataSource = DataSourceFactory.Create(connectionString, TimeSpan.FromSeconds(options.ConnectTimeoutSeconds));
        try
        {
            await ProbeAsync(dataSource, options, cancellationToken);
            var migrator = new Migrator(dataSource, Migration.Embedded, loggerFactory.CreateLogger<Migrator>());
            var applied = await migrator.MigrateAsync(cancellationToken);
            var logger = loggerFactory.CreateLogger<DatabaseLifetime>();
            logger.LogInformation("Database schema is current ({Applied} migrations applied now)", applied);
            // Deleting the newest audit events is only visible against a head seen earlier: log it at every start.
            var (headSeq, headHash) = await new AuditLog(dataSource).HeadAsync(cancellationToken);
            logger.LogInformation("Audit trail head at start-up: event {AuditSeq} {AuditHash}", headSeq, headHash);
            database.Open(dataSource, migrator);
        }
        catch
        {
            await dataSource.DisposeAsync();
            if (_cluster is not null) await _cluster.StopAsync(CancellationToken.None);
            throw;
        }
    }

    private static async Task ProbeAsync(NpgsqlDataSource dataSource, DatabaseOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            var where = string.IsNullOrEmpty(target.Database) ? $"{target.Host}:{target.Port}" : $"{target.Host}:{target.Port}/{target.Database}";
            var reason = e is PostgresException pg ? pg.MessageText : (e.InnerException?.Message ?? e.Message);
            var fix = options.UsesEmbeddedCluster
                ? "see the embedded cluster's log under the state folder"
                : "start that server or correct Database:ConnectionString, or leave Database:ConnectionString empty to use the embedded cluster";
            throw new StartupException($"PostgreSQL not reachable at {where}: {ErrorLine.OneLine(reason)}; {fix}.", ExitCodes.Unavailable, e);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var dataSource = database.Close();
        if (dataSource is not null) await dataSource.DisposeAsync();
        if (_cluster is not null) await _cluster.StopAsync(cancellationToken);
    }
}
