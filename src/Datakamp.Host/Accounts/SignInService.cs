using Datakamp.Domain;
using Datakamp.Data;
using System.Text.Json;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Identity;

namespace Datakamp.Host.Accounts;

/// <summary>
/// Checks a username and password. Five failures lock the account for 15 minutes (on top of the
/// per-address rate limit on the sign-in form). Every attempt, good or bad, is an audit event. The
/// answer to a person never says which part was wrong, nor whether the account exists.
/// </summary>
public sealed class SignInService(AccountRepository accounts, AuditTrail audit, ILogger<SignInService> logger)
{
    public const int LockAfterFailures = 5;
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<Account> Hasher = new();
    // Verifying against a fixed hash for unknown usernames keeps their answer as slow as a real one.
    private static readonly string DummyHash = Hasher.HashPassword(null!, "no account has this password");

    public static string HashPassword(Account account, string password) => Hasher.HashPassword(account, password);

    public async Task<Account?> VerifyAsync(string username, string password, string? remoteAddress, CancellationToken cancellationToken)
    {
        var normalized = username.Trim().ToLowerInvariant();
        var record = normalized.Length is > 0 and <= 40 ? await accounts.FindForSignInAsync(normalized, cancellationToken) : null;

        if (record is null)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash, password);
            await FailedAsync(normalized, null, "unknown username", remoteAddress, cancellationToken);
            return null;
        }
        var account = record.Account;
        if (account.Disabled || record.PasswordHash is null || record.LockedUntil > DateTimeOffset.UtcNow)
        {
            Hasher.VerifyHashedPassword(account, DummyHash, password);
            var reason = account.Disabled ? "account disabled" : record.PasswordHash is null ? "no password set yet" : "account locked";
            await FailedAsync(normalized, account, reason, remoteAddress, cancellationToken);
            return null;
        }

        var verdict = Hasher.VerifyHashedPassword(account, record.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await accounts.RecordFailedSignInAsync(account.Id, LockAfterFailures, LockFor, cancellationToken);
            await FailedAsync(normalized, account, "wrong password", remoteAddress, cancellationToken);
            return null;
        }

        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account, password) : null;
        await accounts.RecordSuccessfulSignInAsync(account.Id, rehash, cancellationToken);
        await audit.RecordAsync(AuditEntries.ForAccount(Actor(account), AuditActions.SignIn, account, new { address = remoteAddress }), cancellationToken);
        return account;
    }

    private async Task FailedAsync(string username, Account? account, string reason, string? remoteAddress, CancellationToken cancellationToken)
    {
        logger.LogInformation("Failed sign-in for {Username}: {Reason}", LogText.Excerpt(username), reason);
        var subject = string.IsNullOrEmpty(username) ? "(empty)" : username.Length > 64 ? username[..64] : username;
        await audit.RecordAsync(AuditEntries.ForUsername("anonymous", AuditActions.SignInFailed, subject, account?.Team,
            new { reason, address = remoteAddress }), cancellationToken);
    }

    public static string Actor(Account account) =>
        account.IsStaff ? $"staff:{account.Username}"
        : account.Team is { } team ? $"team:{team.EventSlug}/{team.TeamSlug}/{account.Username}"
        : $"user:{account.Username}";
}
