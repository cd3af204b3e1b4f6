using Datakamp.Data;
using System.Security.Claims;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Host.Startup;

namespace Datakamp.Host.Accounts;

/// <summary>The signed-in person as a team member, read from the database (never from what a form or cookie claims).</summary>
public static class CurrentMember
{
    /// <summary>The account when it is an enabled member of a team; null otherwise.</summary>
    public static async Task<Account?> FindAsync(ClaimsPrincipal user, Database database, CancellationToken cancellationToken)
    {
        var account = user.AccountId() is { } id ? await new AccountRepository(database.DataSource).FindAsync(id, cancellationToken) : null;
        return account is { Team: not null, Disabled: false } ? account : null;
    }
}
