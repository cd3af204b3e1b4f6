namespace Datakamp.Domain.Releases;

/// <summary>A checker may not cast this vote (own team, second vote, incomplete or invalid review).</summary>
public sealed class ReviewNotAllowedException(string reason) : Exception(reason);
