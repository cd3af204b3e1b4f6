using Dapper;
using Datakamp.Data.Audit;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Events;
using Npgsql;

namespace Datakamp.Data.Repositories;

/// <summary>
/// Each event's confidentiality declaration, version by version, and which account accepted which version when
/// (migration 0009). Publishing and accepting are audited in the same transaction as the row they write.
/// </summary>
public sealed class DeclarationRepository(Database database)
{
    // Read per call, not captured: the host constructs repositories before its database has started.
    private NpgsqlDataSource DataSource => database.DataSource;

    static DeclarationRepository() => DapperConventions.Apply();

    private const string SelectVersion = "SELECT event_id, version, text, sha256, published_at, published_by FROM declaration_versions";

    /// <summary>The version in force (the newest), or null when the event has no declaration.</summary>
    public async Task<Declaration?> CurrentAsync(long eventId, CancellationToken cancellationToken)
    {
        const string sql = $"{SelectVersion} WHERE event_id = @eventId ORDER BY version DESC LIMIT 1";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(sql, new { eventId }, cancellationToken: cancellationToken));
        return row?.ToDeclaration();
    }

    /// <summary>
    /// Publishes <paramref name="text"/> as the event's next version (1 for the first); from now on every team member
    /// accepts it before their next sandbox start or IDE use.
    /// </summary>
    public async Task<Declaration> PublishAsync(long eventId, string text, string publishedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // The event's row is locked so that two publications at once get consecutive versions, not the same one.
        const string lockEvent = "SELECT id FROM events WHERE id = @eventId FOR UPDATE";
        const string next = "SELECT coalesce(max(version), 0) + 1 FROM declaration_versions WHERE event_id = @eventId";
        const string insert = """
            INSERT INTO declaration_versions (event_id, version, text, sha256, published_at, published_by)
            VALUES (@EventId, @Version, @Text, @Sha256, @publishedAt, @PublishedBy)
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(lockEvent, new { eventId }, transaction, cancellationToken: cancellationToken)) is null)
            throw new KeyNotFoundException($"event {eventId} does not exist");
        var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition(next, new { eventId }, transaction, cancellationToken: cancellationToken));
        var declaration = new Declaration(eventId, version, text, Declaration.HashOf(text), at, publishedBy);
        await connection.ExecuteAsync(new CommandDefinition(insert, new
        {
            declaration.EventId, declaration.Version, declaration.Text, declaration.Sha256, publishedAt = at.UtcDateTime, declaration.PublishedBy,
        }, transaction, cancellationToken: cancellationToken));
        await new AuditLog(DataSource).AppendAsync(AuditEntries.ForDeclaration(publishedBy, AuditActions.DeclarationPublished, declaration),
            connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return declaration;
    }

    /// <summary>The account's acceptance of this version of the event's declaration, or null.</summary>
    public async Task<DeclarationAcceptance?> FindAcceptanceAsync(long accountId, long eventId, int version, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT account_id, event_id, version, sha256, accepted_at FROM declaration_acceptances
            WHERE account_id = @accountId AND event_id = @eventId AND version = @version
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AcceptanceRow>(new CommandDefinition(sql, new { accountId, eventId, version }, cancellationToken: cancellationToken));
        return row?.ToAcceptance();
    }

    /// <summary>
    /// The version in force of the account's event when the account is an enabled team member who has not accepted it
    /// yet; null when nothing is due: accepted, no declaration for the event, or not a team member (staff, checkers).
    /// One query, because the IDE proxy asks this on every request.
    /// </summary>
    public async Task<Declaration?> DueForAsync(long accountId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.event_id, d.version, d.text, d.sha256, d.published_at, d.published_by
            FROM accounts a
            JOIN teams t ON t.id = a.team_id
            JOIN LATERAL (SELECT * FROM declaration_versions v WHERE v.event_id = t.event_id ORDER BY v.version DESC LIMIT 1) d ON true
            WHERE a.id = @accountId AND a.disabled_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM declaration_acceptances x WHERE x.account_id = a.id AND x.event_id = d.event_id AND x.version = d.version)
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<VersionRow>(new CommandDefinition(sql, new { accountId }, cancellationToken: cancellationToken));
        return row?.ToDeclaration();
    }

    /// <summary>
    /// Records that the account accepts exactly this version (its text's hash with it), audited as
    /// <see cref="AuditActions.DeclarationAccepted"/>. Accepting again changes nothing and returns the first acceptance.
    /// </summary>
    public async Task<DeclarationAcceptance> AcceptAsync(long accountId, long teamId, Declaration declaration, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        const string insert = """
            INSERT INTO declaration_acceptances (account_id, event_id, version, sha256, accepted_at)
            VALUES (@accountId, @EventId, @Version, @Sha256, @acceptedAt)
            ON CONFLICT DO NOTHING
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(insert, new
        {
            accountId, declaration.EventId, declaration.Version, declaration.Sha256, acceptedAt = at.UtcDateTime,
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 1)
            await new AuditLog(DataSource).AppendAsync(AuditEntries.ForDeclaration(actor, AuditActions.DeclarationAccepted, declaration, teamId),
                connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await FindAcceptanceAsync(accountId, declaration.EventId, declaration.Version, cancellationToken))!;
    }

    private sealed record VersionRow(long EventId, int Version, string Text, string Sha256, DateTime PublishedAt, string PublishedBy)
    {
        public Declaration ToDeclaration() => new(EventId, Version, Text, Sha256, new DateTimeOffset(DateTime.SpecifyKind(PublishedAt, DateTimeKind.Utc)), PublishedBy);
    }

    private sealed record AcceptanceRow(long AccountId, long EventId, int Version, string Sha256, DateTime AcceptedAt)
    {
        public DeclarationAcceptance ToAcceptance() => new(AccountId, EventId, Version, Sha256, new DateTimeOffset(DateTime.SpecifyKind(AcceptedAt, DateTimeKind.Utc)));
    }
}
