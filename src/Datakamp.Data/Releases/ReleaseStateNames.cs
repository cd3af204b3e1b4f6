using Datakamp.Domain.Releases;

namespace Datakamp.Data.Releases;

/// <summary>The spelling of states, decisions and checks in the database (snake_case, as the CHECK constraints in 0005 list them).</summary>
internal static class ReleaseStateNames
{
    public static string ToDb(ReleaseState state) => state switch
    {
        ReleaseState.InReview => "in_review",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static ReleaseState StateFromDb(string text) => text switch
    {
        "draft" => ReleaseState.Draft,
        "submitted" => ReleaseState.Submitted,
        "checked" => ReleaseState.Checked,
        "in_review" => ReleaseState.InReview,
        "approved" => ReleaseState.Approved,
        "rejected" => ReleaseState.Rejected,
        "returned" => ReleaseState.Returned,
        "withdrawn" => ReleaseState.Withdrawn,
        "published" => ReleaseState.Published,
        _ => throw new InvalidDataException($"release_requests.state: unknown state '{text}'"),
    };

    public static string ToDb(FileDecision decision) => decision switch
    {
        FileDecision.ApproveWithSuppression => "approve_with_suppression",
        _ => decision.ToString().ToLowerInvariant(),
    };

    public static FileDecision DecisionFromDb(string text) => text switch
    {
        "approve" => FileDecision.Approve,
        "approve_with_suppression" => FileDecision.ApproveWithSuppression,
        "return" => FileDecision.Return,
        "reject" => FileDecision.Reject,
        _ => throw new InvalidDataException($"release_votes.decision: unknown decision '{text}'"),
    };

    public static string ToDb(OutputForm form) => form switch
    {
        OutputForm.AsSubmitted => "as_submitted",
        OutputForm.SuppressedByHost => "suppressed_by_host",
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };

    public static OutputForm FormFromDb(string text) => text switch
    {
        "as_submitted" => OutputForm.AsSubmitted,
        "suppressed_by_host" => OutputForm.SuppressedByHost,
        _ => throw new InvalidDataException($"release_outputs.form: unknown form '{text}'"),
    };

    public static string ToDb(AutomatedCheck check) => check.ToString().ToLowerInvariant();

    public static AutomatedCheck? CheckFromDb(string? text) => text switch
    {
        null => null,
        "pass" => AutomatedCheck.Pass,
        "review" => AutomatedCheck.Review,
        "fail" => AutomatedCheck.Fail,
        _ => throw new InvalidDataException($"release_files.check_status: unknown status '{text}'"),
    };
}
