using Dapper;
using Datakamp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Datakamp.Data.Tests;

[Trait("Category", "Postgres")]
public sealed class MigratorTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private async Task<NpgsqlDataSource> EmptyDatabaseAsync() =>
        NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("migrator"));

    private static Migrator MigratorFor(NpgsqlDataSource db, IReadOnlyList<Migration>? migrations = null) =>
        new(db, migrations ?? Migration.Embedded, NullLogger<Migrator>.Instance);

    [Fact]
    public async Task Migrating_an_empty_database_applies_every_embedded_migration_in_order()
    {
        await using var db = await EmptyDatabaseAsync();

        var applied = await MigratorFor(db).MigrateAsync(Ct);

        Assert.Equal(Migration.Embedded.Count, applied);
        await using var connection = await db.OpenConnectionAsync(Ct);
        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Migration.Embedded.Select(m => m.Version), versions);
        Assert.True((await MigratorFor(db).GetStatusAsync(Ct)).IsCurrent);
    }

    [Fact]
    public async Task Migrating_again_applies_nothing()
    {
        await using var db = await EmptyDatabaseAsync();
        await MigratorFor(db).MigrateAsync(Ct);

        Assert.Equal(0, await MigratorFor(db).MigrateAsync(Ct));
    }

    [Fact]
    public async Task Hosts_migrating_at_the_same_moment_run_each_migration_exactly_once()
    {
        await using var db = await EmptyDatabaseAsync();
        // Not idempotent on purpose: a second run of 0001 fails (table exists) and 0002 would count twice.
        var migrations = Migration.Ordered(
        [
            new Migration(1, "create_counter", "CREATE TABLE runs (migration int NOT NULL)"),
            new Migration(2, "count_and_wait", "INSERT INTO runs VALUES (2); SELECT pg_sleep(0.2)"),
            new Migration(3, "count_again", "INSERT INTO runs VALUES (3)"),
        ]);
        using var start = new Barrier(8);

        var appliedPerHost = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await MigratorFor(db, migrations).MigrateAsync(Ct);
        })));

        Assert.Equal(3, appliedPerHost.Sum());
        await using var connection = await db.OpenConnectionAsync(Ct);
        Assert.Equal([2, 3], (await connection.QueryAsync<int>("SELECT migration FROM runs ORDER BY migration")).ToList());
        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_no_trace_and_stops_the_run()
    {
        await using var db = await EmptyDatabaseAsync();
        var migrations = Migration.Ordered(
        [
            new Migration(1, "good", "CREATE TABLE a (v int)"),
            new Migration(2, "bad", "CREATE TABLE b (v int); SELECT * FROM no_such_table"),
        ]);

        await Assert.ThrowsAsync<PostgresException>(() => MigratorFor(db, migrations).MigrateAsync(Ct));

        await using var connection = await db.OpenConnectionAsync(Ct);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT to_regclass('b')::text"));
    }

    [Fact]
    public async Task A_database_newer_than_this_build_is_refused()
    {
        await using var db = await EmptyDatabaseAsync();
        await MigratorFor(db).MigrateAsync(Ct);
        await using (var connection = await db.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'from_the_future', 'x')");
        }

        var error = await Assert.ThrowsAsync<SchemaException>(() => MigratorFor(db).MigrateAsync(Ct));

        Assert.Contains("schema is at version 999, newer than this Datakamp knows", error.Message);
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_afterwards_is_refused()
    {
        await using var db = await EmptyDatabaseAsync();
        await MigratorFor(db, [new Migration(1, "first", "CREATE TABLE a (v int)")]).MigrateAsync(Ct);

        var error = await Assert.ThrowsAsync<SchemaException>(() =>
            MigratorFor(db, [new Migration(1, "first", "CREATE TABLE a (v bigint)")]).MigrateAsync(Ct));

        Assert.Contains("an applied migration was edited", error.Message);
    }

    [Fact]
    public void Migrations_numbered_with_a_gap_are_rejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Migration.Ordered([new Migration(1, "a", "SELECT 1"), new Migration(3, "c", "SELECT 1")]));

        Assert.Contains("without gaps", error.Message);
    }

    [Fact]
    public async Task Status_of_an_unmigrated_database_is_version_zero()
    {
        await using var db = await EmptyDatabaseAsync();

        var status = await MigratorFor(db).GetStatusAsync(Ct);

        Assert.Equal(0, status.AppliedVersion);
        Assert.False(status.IsCurrent);
    }
}
