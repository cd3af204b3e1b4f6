namespace Datakamp.Domain.Audit;

/// <summary>
/// What one audit event says: who (<paramref name="Actor"/>, e.g. "staff:anna", "team:noord/piet",
/// "system") did what (<paramref name="Action"/>, see <see cref="AuditActions"/>) to which subject,
/// within which event, team and dataset, with details as a JSON object (e.g. a grant's purpose).
/// </summary>
public sealed record AuditEntry(
    string Actor, string Action, string SubjectType, string SubjectId,
    long? EventId = null, long? TeamId = null, long? DatasetId = null, string DetailsJson = "{}");
