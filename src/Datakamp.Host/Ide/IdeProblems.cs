using System.Collections.Concurrent;

namespace Datakamp.Host.Ide;

/// <summary>
/// The last thing that made a team's IDE unusable in a way only staff can fix (its socket replaced by something the
/// host refuses to connect to), for the staff and team pages. Kept until the IDE answers through the proxy again.
/// In memory: after a host restart the next refused request reports it again.
/// </summary>
public sealed class IdeProblems(TimeProvider clock)
{
    public sealed record Problem(string Message, DateTimeOffset At);

    private readonly ConcurrentDictionary<(string Event, string Team), Problem> _problems = new();

    public void Report(string eventSlug, string team, string message) => _problems[(eventSlug, team)] = new Problem(message, clock.GetUtcNow());

    public void Clear(string eventSlug, string team) => _problems.TryRemove((eventSlug, team), out _);

    public Problem? Find(string eventSlug, string team) => _problems.GetValueOrDefault((eventSlug, team));
}
