using Dapper;
using Datakamp.Domain.Datasets;
using Npgsql;

namespace Datakamp.Data.Repositories;

/// <summary>Registered microdata files and the grants that let teams use them.</summary>
public sealed class DatasetRepository(Database database)
{
    // Read per call, not captured: the host constructs repositories before its database has started.
    private NpgsqlDataSource DataSource => database.DataSource;

    static DatasetRepository() => DapperConventions.Apply();

    public async Task<Dataset> RegisterAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO datasets (event_id, name, description, file_path, sha256, size_bytes, columns, unit_column, policy)
            VALUES (@EventId, @Name, @Description, @FilePath, @Sha256, @SizeBytes, @Columns, @UnitColumn, @Policy)
            RETURNING id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            dataset.EventId, dataset.Name, dataset.Description, dataset.FilePath, dataset.Sha256, dataset.SizeBytes,
            Columns = dataset.Columns.ToArray(), dataset.UnitColumn, dataset.Policy,
        }, cancellationToken: cancellationToken));
        return dataset with { Id = id };
    }

    public async Task<Dataset?> FindAsync(long id, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, event_id, name, description, file_path, sha256, size_bytes, columns, unit_column, policy
            FROM datasets WHERE id = @id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<DatasetRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken)))?.ToDataset();
    }

    public async Task<IReadOnlyList<Dataset>> ListAsync(long eventId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, event_id, name, description, file_path, sha256, size_bytes, columns, unit_column, policy
            FROM datasets WHERE event_id = @eventId ORDER BY name
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DatasetRow>(new CommandDefinition(sql, new { eventId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDataset()).ToList();
    }

    /// <summary>
    /// The datasets a team may use on <paramref name="today"/>, through a grant in force (not revoked, not past its end
    /// date): these, and only these, are mounted into its sandbox and may be recomputed by the release check.
    /// </summary>
    public async Task<IReadOnlyList<Dataset>> ListGrantedToTeamAsync(long teamId, DateOnly today, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.id, d.event_id, d.name, d.description, d.file_path, d.sha256, d.size_bytes, d.columns, d.unit_column, d.policy
            FROM datasets d JOIN dataset_grants g ON g.dataset_id = d.id
            WHERE g.team_id = @teamId AND g.revoked_at IS NULL AND (g.ends_on IS NULL OR g.ends_on >= @today)
            ORDER BY d.name
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DatasetRow>(new CommandDefinition(sql, new { teamId, today }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDataset()).ToList();
    }

    /// <summary>
    /// Stores a new grant and returns it with its id; or returns null, writing nothing, when the team has a grant of the
    /// dataset in force on <paramref name="today"/> already (one at a time, so a revocation ends the team's access).
    /// </summary>
    public async Task<DatasetGrant?> GrantAsync(DatasetGrant grant, DateOnly today, CancellationToken cancellationToken)
    {
        // Two staff granting at once: the team's row lock makes the second wait, and then see the first's grant.
        const string lockTeam = "SELECT id FROM teams WHERE id = @TeamId FOR UPDATE";
        const string inForce = """
            SELECT EXISTS (SELECT 1 FROM dataset_grants
                           WHERE dataset_id = @DatasetId AND team_id = @TeamId AND revoked_at IS NULL AND (ends_on IS NULL OR ends_on >= @today))
            """;
        const string insert = """
            INSERT INTO dataset_grants (dataset_id, team_id, purpose, granted_by, granted_at, ends_on)
            VALUES (@DatasetId, @TeamId, @Purpose, @GrantedBy, @GrantedAt, @EndsOn)
            RETURNING id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(lockTeam, new { grant.TeamId }, transaction, cancellationToken: cancellationToken));
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(inForce, new { grant.DatasetId, grant.TeamId, today }, transaction, cancellationToken: cancellationToken)))
            return null;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, new
        {
            grant.DatasetId, grant.TeamId, grant.Purpose, grant.GrantedBy, grant.GrantedAt, grant.EndsOn,
        }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return grant with { Id = id, Revocation = null };
    }

    /// <summary>
    /// Revokes the team's grant of the dataset that is in force on <paramref name="today"/> and returns it as revoked;
    /// or returns null, writing nothing, when there is none. The row stays: only its revocation columns are set.
    /// </summary>
    public async Task<DatasetGrant?> RevokeAsync(long datasetId, long teamId, GrantRevocation revocation, DateOnly today, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE dataset_grants SET revoked_at = @RevokedAt, revoked_by = @RevokedBy, revoke_reason = @Reason
            WHERE dataset_id = @datasetId AND team_id = @teamId AND revoked_at IS NULL AND (ends_on IS NULL OR ends_on >= @today)
            RETURNING id, dataset_id, team_id, purpose, granted_by, granted_at, ends_on, revoked_at, revoked_by, revoke_reason
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<GrantRow>(new CommandDefinition(sql, new
        {
            datasetId, teamId, today, revocation.RevokedAt, revocation.RevokedBy, revocation.Reason,
        }, cancellationToken: cancellationToken));
        return row?.ToGrant();
    }

    /// <summary>Every grant of the dataset ever made, in force or not, oldest first per team: the history of its access.</summary>
    public async Task<IReadOnlyList<DatasetGrant>> ListGrantsAsync(long datasetId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, dataset_id, team_id, purpose, granted_by, granted_at, ends_on, revoked_at, revoked_by, revoke_reason
            FROM dataset_grants WHERE dataset_id = @datasetId ORDER BY team_id, granted_at, id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<GrantRow>(new CommandDefinition(sql, new { datasetId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToGrant()).ToList();
    }

    /// <summary>The slugs of the events that have a dataset named <paramref name="name"/>: to tell staff where the one they named is.</summary>
    public async Task<IReadOnlyList<string>> ListEventsWithDatasetAsync(string name, CancellationToken cancellationToken)
    {
        const string sql = "SELECT e.slug FROM events e JOIN datasets d ON d.event_id = e.id WHERE d.name = @name ORDER BY e.slug";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(sql, new { name }, cancellationToken: cancellationToken))).ToList();
    }

    // A class with setters rather than a positional record: Dapper's constructor matching does not take text[] columns.
    private sealed class DatasetRow
    {
        public long Id { get; init; }
        public long EventId { get; init; }
        public string Name { get; init; } = "";
        public string Description { get; init; } = "";
        public string FilePath { get; init; } = "";
        public string Sha256 { get; init; } = "";
        public long SizeBytes { get; init; }
        public string[] Columns { get; init; } = [];
        public string UnitColumn { get; init; } = "";
        public string Policy { get; init; } = "";

        public Dataset ToDataset() => new(Id, EventId, Name, Description, FilePath, Sha256, SizeBytes, Columns, UnitColumn, Policy);
    }

    private sealed class GrantRow
    {
        public long Id { get; init; }
        public long DatasetId { get; init; }
        public long TeamId { get; init; }
        public string Purpose { get; init; } = "";
        public string GrantedBy { get; init; } = "";
        public DateTime GrantedAt { get; init; }
        public DateOnly? EndsOn { get; init; }
        public DateTime? RevokedAt { get; init; }
        public string? RevokedBy { get; init; }
        public string? RevokeReason { get; init; }

        // The table's check keeps the three revocation columns all null or all set.
        public DatasetGrant ToGrant() => new(DatasetId, TeamId, Purpose, GrantedBy, new DateTimeOffset(GrantedAt, TimeSpan.Zero), EndsOn, Id,
            RevokedAt is { } at ? new GrantRevocation(new DateTimeOffset(at, TimeSpan.Zero), RevokedBy!, RevokeReason!) : null);
    }
}
