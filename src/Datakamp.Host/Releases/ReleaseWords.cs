using Datakamp.Domain.Releases;

namespace Datakamp.Host.Releases;

/// <summary>How states, checks and decisions read on the pages.</summary>
public static class ReleaseWords
{
    public static string State(ReleaseState state) => state switch
    {
        ReleaseState.Draft => "draft",
        ReleaseState.Submitted => "submitted: the automated check is running",
        ReleaseState.Checked => "checked: waiting for an output checker",
        ReleaseState.InReview => "in review",
        ReleaseState.Approved => "approved",
        ReleaseState.Rejected => "rejected",
        ReleaseState.Returned => "returned: change and resubmit",
        ReleaseState.Withdrawn => "withdrawn",
        ReleaseState.Published => "published: on the presentation",
        _ => state.ToString(),
    };

    public static string Check(AutomatedCheck? check) => check switch
    {
        null => "not checked yet",
        AutomatedCheck.Pass => "pass",
        AutomatedCheck.Review => "review: a checker must look",
        AutomatedCheck.Fail => "fail: not releasable as it is",
        _ => check.ToString()!,
    };

    public static string Decision(FileDecision decision) => decision switch
    {
        FileDecision.Approve => "approved",
        FileDecision.ApproveWithSuppression => "approved with suppression (the host's table, suppressed cells blank)",
        FileDecision.Return => "returned for changes",
        FileDecision.Reject => "rejected",
        _ => decision.ToString(),
    };

    /// <summary>Who made a change, as a team reads it: its own members and the system by name; checkers and staff by role only.</summary>
    public static string ActorForTeam(string actor) =>
        actor.StartsWith("team:", StringComparison.Ordinal) || actor.StartsWith("system", StringComparison.Ordinal) ? actor
        : actor.StartsWith("staff:", StringComparison.Ordinal) ? "staff" : "an output checker";

    /// <summary>How a decided request reads for the checker who cast the last vote.</summary>
    public static string Outcome(ReleaseState state) => state switch
    {
        ReleaseState.Approved or ReleaseState.Published => "approved (approved files go to the presentation)",
        ReleaseState.Returned => "returned to the team for changes",
        ReleaseState.Rejected => "rejected",
        _ => state.ToString().ToLowerInvariant(),
    };
}
