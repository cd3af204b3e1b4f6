namespace Datakamp.Domain.Datasets;

/// <summary>
/// A microdata file on the host, registered by staff. <see cref="UnitColumn"/> names whose
/// contributions the disclosure rules count (persons, households, enterprises); <see cref="Policy"/>
/// names the disclosure policy that applies to outputs from it.
/// </summary>
public sealed record Dataset(
    long Id, long EventId, string Name, string Description, string FilePath, string Sha256, long SizeBytes,
    IReadOnlyList<string> Columns, string UnitColumn, string Policy);
