namespace Datakamp.Domain.Releases;

/// <summary>
/// One file of one version of a release request: a snapshot in the content store (<see cref="Sha256"/>), and what
/// the automated check found (<see cref="Check"/> is null until the check has run).
/// </summary>
public sealed record ReleaseFile(
    int Version, string Name, string Sha256, long SizeBytes, string MediaType,
    AutomatedCheck? Check, string? CheckSummary, string? CheckVerdictJson, long? DatasetId, DateTimeOffset? CheckedAt);
