using Dapper;
using Datakamp.Domain;
using Datakamp.Domain.Accounts;
using Npgsql;

namespace Datakamp.Data.Repositories;

/// <summary>Accounts, their password hashes, one-time set-password links and sign-in lockout.</summary>
public sealed class AccountRepository(Database database)
{
    // Read per call, not captured: the host constructs repositories before its database has started.
    private NpgsqlDataSource DataSource => database.DataSource;

    static AccountRepository() => DapperConventions.Apply();

    private const string SelectAccount = """
        SELECT a.id, a.username, a.display_name, a.is_staff, a.is_checker, a.team_id, t.event_id, e.slug AS event_slug, t.slug AS team_slug,
               a.disabled_at IS NOT NULL AS disabled, a.password_hash, a.failed_sign_ins, a.locked_until
        FROM accounts a LEFT JOIN teams t ON t.id = a.team_id LEFT JOIN events e ON e.id = t.event_id
        """;

    public async Task<Account> CreateAsync(string username, string displayName, bool isStaff, bool isChecker, long? teamId, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO accounts (username, display_name, is_staff, is_checker, team_id)
            VALUES (@username, @displayName, @isStaff, @isChecker, @teamId) RETURNING id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { username, displayName, isStaff, isChecker, teamId }, cancellationToken: cancellationToken));
        return (await FindAsync(id, cancellationToken))!;
    }

    public async Task<Account?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition($"{SelectAccount} WHERE a.id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToAccount();
    }

    /// <summary>What sign-in needs: the account, its password hash and its lockout state.</summary>
    public async Task<SignInRecord?> FindForSignInAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition($"{SelectAccount} WHERE a.username = @username", new { username }, cancellationToken: cancellationToken));
        return row is null ? null : new SignInRecord(row.ToAccount(), row.PasswordHash, row.FailedSignIns, row.LockedUntil is { } until ? new DateTimeOffset(until, TimeSpan.Zero) : null);
    }

    /// <summary>Counts a failed sign-in; from <paramref name="lockAfter"/> failures on, the account is locked for <paramref name="lockFor"/>.</summary>
    public async Task RecordFailedSignInAsync(long id, int lockAfter, TimeSpan lockFor, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1,
                locked_until = CASE WHEN failed_sign_ins + 1 >= @lockAfter THEN now() + @lockFor ELSE locked_until END
            WHERE id = @id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, lockAfter, lockFor }, cancellationToken: cancellationToken));
    }

    public async Task RecordSuccessfulSignInAsync(long id, string? rehashedPassword, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL, password_hash = coalesce(@rehashedPassword, password_hash)
            WHERE id = @id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, rehashedPassword }, cancellationToken: cancellationToken));
    }

    /// <summary>Stores the SHA-256 of a new one-time set-password token (replacing any earlier one).</summary>
    public async Task IssueSetPasswordTokenAsync(long id, string tokenSha256, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE accounts SET set_password_token_sha256 = @tokenSha256, set_password_expires_at = @expiresAt WHERE id = @id";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, tokenSha256, expiresAt }, cancellationToken: cancellationToken));
    }

    /// <summary>The account a still-valid, unused set-password token belongs to.</summary>
    public async Task<Account?> FindBySetPasswordTokenAsync(string tokenSha256, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            $"{SelectAccount} WHERE a.set_password_token_sha256 = @tokenSha256 AND a.set_password_expires_at > now() AND a.disabled_at IS NULL",
            new { tokenSha256 }, cancellationToken: cancellationToken));
        return row?.ToAccount();
    }

    /// <summary>Sets the password and uses the token up, in one statement: a token works once, even when two requests race.</summary>
    public async Task<Account?> RedeemSetPasswordTokenAsync(string tokenSha256, string passwordHash, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE accounts SET password_hash = @passwordHash, set_password_token_sha256 = NULL, set_password_expires_at = NULL,
                failed_sign_ins = 0, locked_until = NULL
            WHERE set_password_token_sha256 = @tokenSha256 AND set_password_expires_at > now() AND disabled_at IS NULL
            RETURNING id
            """;
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { tokenSha256, passwordHash }, cancellationToken: cancellationToken));
        return id is null ? null : await FindAsync(id.Value, cancellationToken);
    }

    public async Task SetPasswordHashAsync(long id, string passwordHash, CancellationToken cancellationToken)
    {
        const string sql = "UPDATE accounts SET password_hash = @passwordHash WHERE id = @id";
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, passwordHash }, cancellationToken: cancellationToken));
    }

    private sealed class AccountRow
    {
        public long Id { get; init; }
        public string Username { get; init; } = "";
        public string DisplayName { get; init; } = "";
        public bool IsStaff { get; init; }
        public bool IsChecker { get; init; }
        public long? TeamId { get; init; }
        public long? EventId { get; init; }
        public string? EventSlug { get; init; }
        public string? TeamSlug { get; init; }
        public bool Disabled { get; init; }
        public string? PasswordHash { get; init; }
        public int FailedSignIns { get; init; }
        public DateTime? LockedUntil { get; init; }

        public Account ToAccount() => new(Id, Username, DisplayName, IsStaff, IsChecker,
            TeamId is { } team ? new AccountTeam(team, EventId!.Value, Slug.Parse(EventSlug!, "events.slug"), Slug.Parse(TeamSlug!, "teams.slug")) : null,
            Disabled);
    }
}

/// <summary>An account with what sign-in checks: the password hash, failures so far, and a lock.</summary>
public sealed record SignInRecord(Account Account, string? PasswordHash, int FailedSignIns, DateTimeOffset? LockedUntil);
