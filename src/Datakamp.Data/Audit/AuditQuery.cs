namespace Datakamp.Data.Audit;

/// <summary>A filter over the audit trail, as staff use it: by person, team, dataset, action and time. Null means any.</summary>
public sealed record AuditQuery(
    string? Actor = null, long? TeamId = null, long? DatasetId = null, string? Action = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 500);
