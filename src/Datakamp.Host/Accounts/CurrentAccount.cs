using System.Security.Claims;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;

namespace Datakamp.Host.Accounts;

/// <summary>
/// The signed-in person's account as stored now, for a page that acts for them: a role in the cookie is not enough
/// (an account may have been disabled or changed since it was issued).
/// </summary>
public static class CurrentAccount
{
    /// <summary>The account when it is an enabled member of a team; null otherwise.</summary>
    public static async Task<Account?> MemberAsync(ClaimsPrincipal user, AccountRepository accounts, CancellationToken cancellationToken) =>
        await FindAsync(user, accounts, cancellationToken) is { Team: not null, Disabled: false } account ? account : null;

    /// <summary>The account when it is an enabled output checker; null otherwise.</summary>
    public static async Task<Account?> CheckerAsync(ClaimsPrincipal user, AccountRepository accounts, CancellationToken cancellationToken) =>
        await FindAsync(user, accounts, cancellationToken) is { IsChecker: true, Disabled: false } account ? account : null;

    /// <summary>The account when it is enabled, whatever its roles; null otherwise.</summary>
    public static async Task<Account?> EnabledAsync(ClaimsPrincipal user, AccountRepository accounts, CancellationToken cancellationToken) =>
        await FindAsync(user, accounts, cancellationToken) is { Disabled: false } account ? account : null;

    /// <summary>The account when it is enabled staff; null otherwise.</summary>
    public static async Task<Account?> StaffAsync(ClaimsPrincipal user, AccountRepository accounts, CancellationToken cancellationToken) =>
        await FindAsync(user, accounts, cancellationToken) is { IsStaff: true, Disabled: false } account ? account : null;

    private static async Task<Account?> FindAsync(ClaimsPrincipal user, AccountRepository accounts, CancellationToken cancellationToken) =>
        user.AccountId() is { } id ? await accounts.FindAsync(id, cancellationToken) : null;
}
