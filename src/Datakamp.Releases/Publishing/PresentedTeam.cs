using Datakamp.Domain.Releases;

namespace Datakamp.Releases;

/// <summary>One team on the event's presentation: its publications in force (not revoked), oldest first.</summary>
public sealed record PresentedTeam(long TeamId, string TeamSlug, string TeamName, IReadOnlyList<ReleaseRecord> Publications)
{
    /// <summary>Every output of the team's publications in force, with the request it came from.</summary>
    public IEnumerable<(ReleaseRecord Request, PublishedOutput Output)> Outputs =>
        Publications.SelectMany(p => p.Publication!.Outputs.Select(o => (p, o)));
}
