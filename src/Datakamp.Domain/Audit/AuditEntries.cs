using System.Globalization;
using System.Text.Json;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Domain.Releases;
using Datakamp.Domain.Sandboxes;

namespace Datakamp.Domain.Audit;

/// <summary>
/// How an audit event names its subject, one method per kind of subject. Callers say who did what (an
/// <see cref="AuditActions"/> name) to which domain object and with which details; the subject type, its id and the
/// event, team and dataset it belongs to are derived here, so every event about a dataset, say, can be found the same
/// way on the staff audit page and the transparency pages, whichever part of the host wrote it.
/// </summary>
public static class AuditEntries
{
    public static AuditEntry ForEvent(string actor, string action, Event subject, object? details = null) =>
        new(actor, action, "event", subject.Slug.Value, subject.Id, DetailsJson: Json(details));

    public static AuditEntry ForTeam(string actor, string action, Team subject, object? details = null) =>
        new(actor, action, "team", subject.Slug.Value, subject.EventId, subject.Id, DetailsJson: Json(details));

    /// <summary>An event about an account, filed under the account's event and team when it is a team member's.</summary>
    public static AuditEntry ForAccount(string actor, string action, Account subject, object? details = null) =>
        new(actor, action, "account", subject.Username, subject.Team?.EventId, subject.Team?.TeamId, DetailsJson: Json(details));

    /// <summary>An event about a username that may not belong to any account (a failed sign-in, a sign-out).</summary>
    public static AuditEntry ForUsername(string actor, string action, string username, AccountTeam? team, object? details = null) =>
        new(actor, action, "account", username, team?.EventId, team?.TeamId, DetailsJson: Json(details));

    /// <summary>An event about a dataset; <paramref name="teamId"/> names the team of a grant.</summary>
    public static AuditEntry ForDataset(string actor, string action, Dataset subject, long? teamId = null, object? details = null) =>
        new(actor, action, "dataset", subject.Name, subject.EventId, teamId, subject.Id, Json(details));

    /// <summary>An event about a version of an event's declaration; <paramref name="teamId"/> is the accepting member's team.</summary>
    public static AuditEntry ForDeclaration(string actor, string action, Declaration subject, long? teamId = null) =>
        new(actor, action, "declaration", subject.Version.ToString(CultureInfo.InvariantCulture), subject.EventId, teamId,
            DetailsJson: Json(new { version = subject.Version, sha256 = subject.Sha256 }));

    public static AuditEntry ForSandbox(string actor, string action, SandboxRecord subject, object? details = null) =>
        new(actor, action, "sandbox", $"{subject.EventSlug}/{subject.TeamSlug}", subject.EventId, subject.TeamId, DetailsJson: Json(details));

    /// <summary>A person's session in a team's IDE; the subject names the person and the team.</summary>
    public static AuditEntry ForIdeSession(string actor, string action, long eventId, long teamId, object? details = null) =>
        new(actor, action, "ide_session", $"{actor}@{teamId}", eventId, teamId, DetailsJson: Json(details));

    /// <summary>An event about a release request; <paramref name="datasetId"/> names the dataset a checked table was recomputed from.</summary>
    public static AuditEntry ForReleaseRequest(string actor, string action, long requestId, long eventId, long teamId, object? details = null, long? datasetId = null) =>
        new(actor, action, "release_request", requestId.ToString(CultureInfo.InvariantCulture), eventId, teamId, datasetId, Json(details));

    public static AuditEntry ForReleaseRequest(string actor, string action, ReleaseRecord subject, object? details = null, long? datasetId = null) =>
        ForReleaseRequest(actor, action, subject.Request.Id, subject.EventId, subject.Request.TeamId, details, datasetId);

    /// <summary>A presentation bundle: an event's (<paramref name="teamSlug"/> null) or one team's.</summary>
    public static AuditEntry ForBundle(string actor, string action, string eventSlug, long eventId, string? teamSlug, long? teamId, object? details = null) =>
        new(actor, action, "presentation_bundle", teamSlug is null ? eventSlug : $"{eventSlug}/{teamSlug}", eventId, teamId, DetailsJson: Json(details));

    private static string Json(object? details) => details is null ? "{}" : JsonSerializer.Serialize(details);
}
