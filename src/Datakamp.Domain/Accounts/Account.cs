namespace Datakamp.Domain.Accounts;

/// <summary>
/// A person who signs in. <see cref="Team"/> is set for team members (event and team slugs);
/// staff see everything; checkers review outputs, never of their own team.
/// </summary>
public sealed record Account(long Id, string Username, string DisplayName, bool IsStaff, bool IsChecker, AccountTeam? Team, bool Disabled);

/// <summary>The team an account belongs to.</summary>
public sealed record AccountTeam(long TeamId, long EventId, Slug EventSlug, Slug TeamSlug);
