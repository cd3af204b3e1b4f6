namespace Datakamp.Domain.Releases;

/// <summary>
/// A checker's decision on one file: release it, release the host's own version of the table with the suppressed cells
/// blanked, send it back for changes, or never release it. Ordered from lenient to strict: when checkers differ, the
/// strictest decision holds.
/// </summary>
public enum FileDecision
{
    Approve = 0,

    /// <summary>
    /// For a table only: what is released is the table as the host recomputed it, with every suppressed cell (primary and
    /// secondary) blank and marked, never the team's file with cells edited by hand.
    /// </summary>
    ApproveWithSuppression = 1,

    Return = 2,
    Reject = 3,
}
