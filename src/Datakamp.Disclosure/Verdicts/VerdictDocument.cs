namespace Datakamp.Disclosure.Verdicts;

/// <summary>
/// The result of one check, stored with the release request and shown to the output checker.
/// Schema described in Verdicts/README.md; <see cref="SchemaVersion"/> changes with any breaking change.
/// </summary>
public sealed record VerdictDocument(
    int SchemaVersion,
    CheckStatus Status,
    IReadOnlyList<string> Reasons,
    PolicyReference Policy,
    MicrodataReference Microdata,
    IReadOnlyList<FileVerdict> Files);

/// <summary>Which policy judged.</summary>
public sealed record PolicyReference(string Name, int Version);

/// <summary>Which microdata the tables were recomputed from; <see cref="Sha256"/> is null when it could not be read.</summary>
public sealed record MicrodataReference(string File, string? Sha256, long? Bytes);

/// <summary>The verdict on one submitted table.</summary>
public sealed record FileVerdict(
    string File,
    string Spec,
    string Dataset,
    string? Statistic,
    IReadOnlyList<DimensionVerdict> Dimensions,
    bool Margins,
    CheckStatus Status,
    IReadOnlyList<string> Reasons,
    long? RowsRead,
    long? RowsUsed,
    long? RowsWithMissingCategory,
    IReadOnlyList<CellVerdict> Cells,
    IReadOnlyList<RelationVerdict> Relations);

/// <summary>A dimension and its categories in output order.</summary>
public sealed record DimensionVerdict(string Column, IReadOnlyList<string> Categories);

/// <summary>total = sum(parts), by cell id; for secondary suppression.</summary>
public sealed record RelationVerdict(string Total, IReadOnlyList<string> Parts);

/// <summary>The verdict on one cell.</summary>
public sealed record CellVerdict(
    string Id,
    IReadOnlyDictionary<string, string> Coordinates,
    double? Value,
    int Units,
    int UnitsWithValue,
    long MissingRows,
    CheckStatus Status,
    IReadOnlyList<RuleVerdict> Rules,
    bool PrimarySuppressed,
    bool SecondarySuppressed,
    double? ProtectionLower,
    double? ProtectionUpper,
    double? AttackerLowerBound,
    double? AttackerUpperBound,
    bool SubmittedPresent,
    double? Submitted,
    double? Difference);

/// <summary>A rule that fired on a cell, with its numbers.</summary>
public sealed record RuleVerdict(string Id, CheckStatus Status, string Message, IReadOnlyDictionary<string, double?> Numbers);
