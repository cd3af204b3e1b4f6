using System.Collections.Concurrent;
using Datakamp.Host.Ide;

namespace Datakamp.Host.Sandboxes;

/// <summary>The IDE sessions of running sandboxes, kept by the sandbox manager; the proxy looks teams up here.</summary>
public sealed class IdeSessionRegistry : IIdeSessionDirectory
{
    private readonly ConcurrentDictionary<(string Event, string Team), IdeSession> _sessions = new();

    public IdeSession? Find(string eventSlug, string teamSlug) => _sessions.GetValueOrDefault((eventSlug, teamSlug));

    internal void Register(IdeSession session) => _sessions[(session.EventSlug, session.TeamSlug)] = session;

    internal void Remove(string eventSlug, string teamSlug) => _sessions.TryRemove((eventSlug, teamSlug), out _);
}
