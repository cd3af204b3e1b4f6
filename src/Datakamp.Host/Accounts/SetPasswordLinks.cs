using Datakamp.Data;
using System.Security.Cryptography;
using System.Text;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Host.Startup;

namespace Datakamp.Host.Accounts;

/// <summary>
/// One-time links with which a person sets their own password: staff create the account, hand over
/// the link, and never learn the password. Only the token's SHA-256 is stored; a link works once and
/// expires after <see cref="ValidFor"/>.
/// </summary>
public sealed class SetPasswordLinks(AccountRepository accounts, AuditTrail audit)
{
    public static readonly TimeSpan ValidFor = TimeSpan.FromHours(72);

    public static string PathFor(string token) => $"/set-password/{token}";

    /// <summary>Creates a new link for the account (an earlier unused link stops working) and returns its path.</summary>
    public async Task<string> CreateAsync(Account account, string actor, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        await accounts.IssueSetPasswordTokenAsync(account.Id, Sha256(token), DateTimeOffset.UtcNow + ValidFor, cancellationToken);
        await audit.RecordAsync(AuditEntries.ForAccount(actor, AuditActions.SetPasswordLinkIssued, account), cancellationToken);
        return PathFor(token);
    }

    public Task<Account?> FindAsync(string token, CancellationToken cancellationToken) =>
        IsWellFormed(token) ? accounts.FindBySetPasswordTokenAsync(Sha256(token), cancellationToken) : Task.FromResult<Account?>(null);

    /// <summary>Sets the password if the link is still valid; returns the account, or null for a used, expired or unknown link.</summary>
    public async Task<Account?> RedeemAsync(string token, string password, CancellationToken cancellationToken)
    {
        var account = await FindAsync(token, cancellationToken);
        if (account is null) return null;
        var redeemed = await accounts.RedeemSetPasswordTokenAsync(Sha256(token), SignInService.HashPassword(account, password), cancellationToken);
        if (redeemed is not null)
            await audit.RecordAsync(AuditEntries.ForAccount(SignInService.Actor(redeemed), AuditActions.PasswordSet, redeemed), cancellationToken);
        return redeemed;
    }

    private static bool IsWellFormed(string token) => token.Length == 43 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Sha256(string token) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token))).ToLowerInvariant();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
