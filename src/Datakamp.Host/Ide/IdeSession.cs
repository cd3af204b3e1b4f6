namespace Datakamp.Host.Ide;

/// <summary>
/// Where a team's running IDE listens: a unix socket in the team's folder (owned by the sandbox user),
/// and the token the host passes to Jupyter. The token never reaches the browser: the proxy adds it.
/// </summary>
public sealed record IdeSession(string EventSlug, string TeamSlug, string SocketPath, uint SandboxUid, string Token)
{
    /// <summary>The path prefix under which the IDE is served; Jupyter runs with this as its base URL.</summary>
    public string BasePath => IdeRoutes.BasePathFor(EventSlug, TeamSlug);
}

/// <summary>Finds the running IDE of a team (null when its sandbox is not running).</summary>
public interface IIdeSessionDirectory
{
    IdeSession? Find(string eventSlug, string teamSlug);
}

public static class IdeRoutes
{
    /// <summary>Team slugs are unique within an event only, so the event is part of the path.</summary>
    public static string BasePathFor(string eventSlug, string teamSlug) => $"/ide/{eventSlug}/{teamSlug}/";
}
