namespace Datakamp.Domain.Audit;

/// <summary>
/// The names of audited actions, in one place so that staff can filter on them and tests can rely
/// on them. Lower-case, dot-separated: subject first, then what happened.
/// </summary>
public static class AuditActions
{
    public const string EventCreated = "event.created";
    /// <summary>Staff set how many output checkers review each release request of the event (1 or 2).</summary>
    public const string EventCheckersSet = "event.checkers_set";
    /// <summary>Staff set the event's sandbox image and limits (null: the host's default).</summary>
    public const string EventSandboxSettingsSet = "event.sandbox_settings_set";
    public const string TeamCreated = "team.created";
    public const string DatasetRegistered = "dataset.registered";
    public const string DatasetGranted = "dataset.granted";
    public const string DatasetGrantRevoked = "dataset.grant_revoked";
    public const string SignIn = "account.signed_in";
    public const string SignInFailed = "account.sign_in_failed";
    public const string SignedOut = "account.signed_out";
    public const string AccountCreated = "account.created";
    public const string SetPasswordLinkIssued = "account.set_password_link_issued";
    public const string PasswordSet = "account.password_set";
    /// <summary>Staff published a new version of an event's confidentiality declaration (details: version, sha256).</summary>
    public const string DeclarationPublished = "declaration.published";
    /// <summary>A team member accepted the version in force of their event's declaration (details: version, sha256).</summary>
    public const string DeclarationAccepted = "declaration.accepted";
    public const string SandboxStarted = "sandbox.started";
    /// <summary>A person's first request to a team's IDE; details name the datasets the sandbox held then.</summary>
    public const string IdeSessionOpened = "ide.session_opened";
    /// <summary>The end of an IDE session: idle, the sandbox stopped or was replaced, or the host stopped (details say which).</summary>
    public const string IdeSessionClosed = "ide.session_closed";
    public const string SandboxStopped = "sandbox.stopped";
    /// <summary>
    /// The manager replaced a sandbox's container on its own (workspace kept), e.g. details reason "data access changed"
    /// with the datasets removed from and added to /data after a grant was revoked, ended or given.
    /// </summary>
    public const string SandboxRestarted = "sandbox.restarted";
    public const string ReleaseSubmitted = "release.submitted";
    public const string ReleaseResubmitted = "release.resubmitted";
    public const string ReleaseWithdrawn = "release.withdrawn";
    /// <summary>One file's automated check (dataset_id set for a table recomputed from a dataset).</summary>
    public const string ReleaseFileChecked = "release.file_checked";
    public const string ReleaseChecked = "release.checked";
    public const string ReleaseReviewStarted = "release.review_started";
    public const string ReleaseVoted = "release.voted";
    /// <summary>The review is complete: details say approved, rejected or returned, per file.</summary>
    public const string ReleaseDecided = "release.decided";
    public const string ReleasePublished = "release.published";
    public const string ReleasePublishFailed = "release.publish_failed";
    public const string PublicationRevoked = "release.publication_revoked";
    public const string PublicationDownloaded = "release.downloaded";
    /// <summary>A stored output's bytes no longer match its SHA-256 when it was to be served: it was not served; staff must look.</summary>
    public const string ReleaseContentMismatch = "release.content_mismatch";
}
