namespace Datakamp.Domain.Releases;

/// <summary>
/// Where a release request is (the states follow OpenSAFELY's Airlock):
/// <code>
/// Draft ─submit─▶ Submitted ─checked─▶ Checked ─review─▶ InReview ─all votes─▶ Approved ─publish─▶ Published
///   │                 │                                        ├──────────────▶ Rejected
///   │                 │                                        └──────────────▶ Returned ─resubmit (new version)─▶ Submitted
///   └─withdraw──▶ Withdrawn ◀──withdraw── Submitted, Returned
/// </code>
/// </summary>
public enum ReleaseState
{
    Draft,
    Submitted,
    Checked,
    InReview,
    Approved,
    Rejected,
    Returned,
    Withdrawn,
    Published,
}
