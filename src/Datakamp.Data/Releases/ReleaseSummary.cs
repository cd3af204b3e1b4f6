using Datakamp.Domain.Releases;

namespace Datakamp.Data.Releases;

/// <summary>
/// One line of a queue or a team's list: enough to sort and choose, without loading files and votes.
/// <see cref="WorstCheck"/> is the worst automated result over the current version (null while any file is unchecked).
/// </summary>
public sealed record ReleaseSummary(
    long Id, long TeamId, long EventId, string EventSlug, string TeamSlug, string TeamName, ReleaseState State, int Version,
    int RequiredVotes, int VotesCast, string Purpose, int FileCount, AutomatedCheck? WorstCheck, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
