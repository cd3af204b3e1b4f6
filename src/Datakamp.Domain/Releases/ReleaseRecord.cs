namespace Datakamp.Domain.Releases;

/// <summary>
/// A stored release request with everything around it: the state machine (<see cref="Request"/>), the team and event
/// it belongs to, every file of every version, the transitions with their actors, and the publication if any.
/// </summary>
public sealed record ReleaseRecord(
    ReleaseRequest Request, long EventId, string EventSlug, string TeamSlug, string TeamName, long SubmittedBy,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ReleaseFile> AllFiles,
    IReadOnlyList<ReleaseTransition> Transitions, Publication? Publication)
{
    /// <summary>The files of the current version, in name order.</summary>
    public IReadOnlyList<ReleaseFile> CurrentFiles => AllFiles.Where(f => f.Version == Request.Version).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();

    /// <summary>True when every file of the current version has been through the automated check.</summary>
    public bool FullyChecked => CurrentFiles.All(f => f.Check is not null);
}
