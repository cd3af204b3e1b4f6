using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Datakamp.Data;

/// <summary>
/// Brings the database schema up to date at start-up. Each migration runs in its own transaction
/// together with its row in <c>schema_migrations</c>, so it is applied completely or not at all.
/// A session-level advisory lock makes hosts that start at the same moment take turns: the first
/// migrates, the others then find nothing left to do.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, ILogger<Migrator> logger)
{
    /// <summary>The advisory lock key: the ASCII bytes of "Datakamp", so it is recognisable in pg_locks.</summary>
    public const long AdvisoryLockKey = 0x446174616B616D70;

    private int LatestKnownVersion => migrations.Count == 0 ? 0 : migrations[^1].Version;

    /// <summary>Applies every pending migration; returns how many were applied by this call.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = AdvisoryLockKey }, cancellationToken: cancellationToken));
        try
        {
            const string createLedger = """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version     integer PRIMARY KEY,
                    name        text NOT NULL,
                    checksum    text NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """;
            await connection.ExecuteAsync(new CommandDefinition(createLedger, cancellationToken: cancellationToken));

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            VerifyAppliedAreKnown(applied);

            var appliedVersions = applied.Select(a => a.Version).ToHashSet();
            var count = 0;
            foreach (var migration in migrations.Where(m => !appliedVersions.Contains(m.Version)))
            {
                await ApplyAsync(connection, migration, cancellationToken);
                count++;
            }
            return count;
        }
        finally
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = AdvisoryLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>The applied and known versions (for /readyz). A missing ledger means version 0.</summary>
    public async Task<SchemaStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        const string ledgerExists = "SELECT to_regclass('schema_migrations') IS NOT NULL";
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(ledgerExists, cancellationToken: cancellationToken)))
            return new SchemaStatus(0, LatestKnownVersion);
        const string newest = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        var applied = await connection.ExecuteScalarAsync<int>(new CommandDefinition(newest, cancellationToken: cancellationToken));
        return new SchemaStatus(applied, LatestKnownVersion);
    }

    private async Task ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        logger.LogInformation("Applying migration {Version:D4} {Name}", migration.Version, migration.Name);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
        const string record = "INSERT INTO schema_migrations (version, name, checksum) VALUES (@Version, @Name, @Checksum)";
        await connection.ExecuteAsync(new CommandDefinition(record, new { migration.Version, migration.Name, migration.Checksum }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<List<AppliedMigration>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";
        return (await connection.QueryAsync<AppliedMigration>(new CommandDefinition(sql, cancellationToken: cancellationToken))).AsList();
    }

    private void VerifyAppliedAreKnown(List<AppliedMigration> applied)
    {
        var newest = applied.Count == 0 ? 0 : applied[^1].Version;
        if (newest > LatestKnownVersion)
            throw new SchemaException($"the database schema is at version {newest}, newer than this Datakamp knows ({LatestKnownVersion}): run a Datakamp at least as new as the one that last migrated it.");

        var known = migrations.ToDictionary(m => m.Version);
        foreach (var row in applied)
        {
            if (!known.TryGetValue(row.Version, out var migration) || migration.Checksum != row.Checksum)
                throw new SchemaException($"migration {row.Version:D4} ({row.Name}) in the database differs from this build's file: an applied migration was edited. Restore the original file and add a new migration instead.");
        }
    }

    private sealed record AppliedMigration(int Version, string Name, string Checksum);
}
