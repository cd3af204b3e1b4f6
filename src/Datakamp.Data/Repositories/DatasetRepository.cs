using Dapper;
using Datakamp.Domain.Datasets;
using Npgsql;

namespace Datakamp.Data.Repositories;

/// <summary>Registered microdata files and the grants that let teams use them.</summary>
public sealed class DatasetRepository(NpgsqlDataSource dataSource)
{
    static DatasetRepository() => DapperConventions.Apply();

    public async Task<Dataset> RegisterAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO datasets (event_id, name, description, file_path, sha256, size_bytes, columns, unit_column, policy)
            VALUES (@EventId, @Name, @Description, @FilePath, @Sha256, @SizeBytes, @Columns, @UnitColumn, @Policy)
            RETURNING id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            dataset.EventId, dataset.Name, dataset.Description, dataset.FilePath, dataset.Sha256, dataset.SizeBytes,
            Columns = dataset.Columns.ToArray(), dataset.UnitColumn, dataset.Policy,
        }, cancellationToken: cancellationToken));
        return dataset with { Id = id };
    }

    public async Task<IReadOnlyList<Dataset>> ListAsync(long eventId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, event_id, name, description, file_path, sha256, size_bytes, columns, unit_column, policy
            FROM datasets WHERE event_id = @eventId ORDER BY name
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DatasetRow>(new CommandDefinition(sql, new { eventId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDataset()).ToList();
    }

    /// <summary>The datasets a team may use now: these, and only these, are mounted into its sandbox.</summary>
    public async Task<IReadOnlyList<Dataset>> ListGrantedToTeamAsync(long teamId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.id, d.event_id, d.name, d.description, d.file_path, d.sha256, d.size_bytes, d.columns, d.unit_column, d.policy
            FROM datasets d JOIN dataset_grants g ON g.dataset_id = d.id
            WHERE g.team_id = @teamId ORDER BY d.name
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<DatasetRow>(new CommandDefinition(sql, new { teamId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDataset()).ToList();
    }

    public async Task GrantAsync(DatasetGrant grant, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO dataset_grants (dataset_id, team_id, purpose, granted_by, granted_at)
            VALUES (@DatasetId, @TeamId, @Purpose, @GrantedBy, @GrantedAt)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, grant, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<DatasetGrant>> ListGrantsAsync(long datasetId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT dataset_id, team_id, purpose, granted_by, granted_at
            FROM dataset_grants WHERE dataset_id = @datasetId ORDER BY team_id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<GrantRow>(new CommandDefinition(sql, new { datasetId }, cancellationToken: cancellationToken));
        return rows.Select(r => new DatasetGrant(r.DatasetId, r.TeamId, r.Purpose, r.GrantedBy, new DateTimeOffset(r.GrantedAt, TimeSpan.Zero))).ToList();
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

    private sealed record GrantRow(long DatasetId, long TeamId, string Purpose, string GrantedBy, DateTime GrantedAt);
}
