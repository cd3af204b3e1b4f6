using System.Security.Claims;

namespace Datakamp.Host.Ide;

/// <summary>
/// Who may open a team's IDE: signed-in members of that team, nobody else. Staff and output checkers
/// do not get into a team's session: opening it means seeing the team's microdata.
/// </summary>
public static class IdeAccess
{
    /// <summary>The claim that names the team a signed-in person belongs to, as <c>event/team</c>.</summary>
    public const string TeamClaim = "datakamp:team";

    public static string TeamClaimValue(string eventSlug, string teamSlug) => $"{eventSlug}/{teamSlug}";

    public static bool MayOpen(ClaimsPrincipal user, string eventSlug, string teamSlug) =>
        user.Identity?.IsAuthenticated == true && user.HasClaim(TeamClaim, TeamClaimValue(eventSlug, teamSlug));
}
