namespace Datakamp.Domain.Releases;

/// <summary>One checker's review of one version of a request: a decision and a comment for every file.</summary>
public sealed record ReviewVote(long CheckerAccountId, int Version, IReadOnlyDictionary<string, FileReview> Files, DateTimeOffset At);

/// <summary>A decision on one file, with the comment the team will read (required: a decision without a reason helps no one).</summary>
public sealed record FileReview(FileDecision Decision, string Comment);
