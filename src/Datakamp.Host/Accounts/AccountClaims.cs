using System.Security.Claims;
using Datakamp.Domain.Accounts;
using Datakamp.Host.Ide;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Datakamp.Host.Accounts;

/// <summary>What the sign-in cookie says about a person: who, which roles, which team.</summary>
public static class AccountClaims
{
    public const string StaffRole = "staff";
    public const string CheckerRole = "checker";
    public const string MemberRole = "member";
    public const string AccountIdClaim = "datakamp:account";

    public static ClaimsPrincipal For(Account account)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.Username),
            new(AccountIdClaim, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("datakamp:display_name", account.DisplayName),
        };
        if (account.IsStaff) claims.Add(new Claim(ClaimTypes.Role, StaffRole));
        if (account.IsChecker) claims.Add(new Claim(ClaimTypes.Role, CheckerRole));
        if (account.Team is { } team)
        {
            claims.Add(new Claim(ClaimTypes.Role, MemberRole));
            claims.Add(new Claim(IdeAccess.TeamClaim, IdeAccess.TeamClaimValue(team.EventSlug.Value, team.TeamSlug.Value)));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    public static long? AccountId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(AccountIdClaim), out var id) ? id : null;

    /// <summary>How the audit trail names a signed-in person: role, team and username.</summary>
    public static string AuditActor(this ClaimsPrincipal user)
    {
        var name = user.Identity?.Name ?? "anonymous";
        if (user.IsInRole(StaffRole)) return $"staff:{name}";
        var team = user.FindFirstValue(IdeAccess.TeamClaim);
        return team is null ? $"user:{name}" : $"team:{team}/{name}";
    }
}
