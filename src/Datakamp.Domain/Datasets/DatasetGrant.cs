namespace Datakamp.Domain.Datasets;

/// <summary>
/// A team may use a dataset, for a stated purpose, since a time, by decision of a staff member; until the end of
/// <see cref="EndsOn"/> (null: no end), unless it was revoked. A grant is never deleted: revoked or ended, it stays as
/// the record of who had access, when and why. <see cref="Id"/> is 0 for a grant not stored yet.
/// </summary>
public sealed record DatasetGrant(
    long DatasetId, long TeamId, string Purpose, string GrantedBy, DateTimeOffset GrantedAt,
    DateOnly? EndsOn = null, long Id = 0, GrantRevocation? Revocation = null)
{
    /// <summary>Whether the grant lets the team use the data on <paramref name="today"/> (its last day included).</summary>
    public bool IsInForce(DateOnly today) => Revocation is null && (EndsOn is null || today <= EndsOn);
}
