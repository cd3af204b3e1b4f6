namespace Datakamp.Domain.Releases;

/// <summary>
/// A checker's decision on one file: release it, send it back for changes, or never release it.
/// Ordered from lenient to strict: when checkers differ, the strictest decision holds.
/// </summary>
public enum FileDecision
{
    Approve = 0,
    Return = 1,
    Reject = 2,
}
