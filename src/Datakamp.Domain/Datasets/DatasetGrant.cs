namespace Datakamp.Domain.Datasets;

/// <summary>A team may use a dataset, for a stated purpose, since a time, by decision of a staff member.</summary>
public sealed record DatasetGrant(long DatasetId, long TeamId, string Purpose, string GrantedBy, DateTimeOffset GrantedAt);
