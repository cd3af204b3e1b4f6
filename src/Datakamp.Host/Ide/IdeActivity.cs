using System.Collections.Concurrent;

namespace Datakamp.Host.Ide;

/// <summary>When each team's IDE last saw a request through the proxy: one of the activity signals for idle stop.</summary>
public sealed class IdeActivity(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Event, string Team), DateTimeOffset> _last = new();

    public void Touch(string eventSlug, string teamSlug) => _last[(eventSlug, teamSlug)] = time.GetUtcNow();

    public DateTimeOffset? LastRequest(string eventSlug, string teamSlug) =>
        _last.TryGetValue((eventSlug, teamSlug), out var at) ? at : null;
}
