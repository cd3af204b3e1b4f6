using System.Security.Claims;

namespace Datakamp.Host.Ide;

/// <summary>Told of every request the IDE proxy passes on, so that who worked in which team's IDE, and when, is recorded.</summary>
public interface IIdeSessionLog
{
    Task SeenAsync(ClaimsPrincipal user, IdeSession session, CancellationToken cancellationToken);
}
