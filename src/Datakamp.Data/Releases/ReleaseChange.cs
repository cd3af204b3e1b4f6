using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;

namespace Datakamp.Data.Releases;

/// <summary>
/// What a change to a request writes besides the state machine's own transitions and votes: audit events (always),
/// the files of a new version (resubmission), a publication or a revocation.
/// </summary>
public sealed record ReleaseChange(IReadOnlyList<AuditEntry> Audit)
{
    public IReadOnlyList<NewReleaseFile> NewVersionFiles { get; init; } = [];

    /// <summary>
    /// Record a publication of the current version with exactly these outputs (the request moved to Published in the
    /// same change); null: no publication.
    /// </summary>
    public IReadOnlyList<PublishedOutput>? Publication { get; init; }

    /// <summary>Revoke the publication, with the reason given.</summary>
    public string? RevokeReason { get; init; }
}
