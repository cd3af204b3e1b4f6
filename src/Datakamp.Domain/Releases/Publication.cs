namespace Datakamp.Domain.Releases;

/// <summary>
/// A request's approved files on the event's presentation (<see cref="Outputs"/>: what exactly was released). Never
/// deleted: a revocation is recorded beside it.
/// </summary>
public sealed record Publication(int Version, DateTimeOffset PublishedAt, string PublishedBy, DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokeReason,
    IReadOnlyList<PublishedOutput> Outputs)
{
    public bool IsRevoked => RevokedAt is not null;
}
