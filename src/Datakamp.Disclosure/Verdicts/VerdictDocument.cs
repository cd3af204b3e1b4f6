using System.Text.Json.Serialization;

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

/// <summary>
/// Which microdata the tables were recomputed from; <see cref="Sha256"/> is null when it could not be read.
/// <see cref="ReadFrom"/> says how its rows were read: <c>csv</c>, or <c>cache</c> (the columnar cache built from the
/// CSV with exactly this SHA-256, which gives the same tables); null when nothing was read.
/// </summary>
public sealed record MicrodataReference(string File, string? Sha256, long? Bytes, string? ReadFrom = null);

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
    IReadOnlyList<RelationVerdict> Relations,
    SuppressionVerdict? Suppression = null,
    MissingValuesVerdict? MissingValues = null);

/// <summary>
/// Units without a value in a magnitude table, reported once per table (see <see cref="MissingValuesSummary"/>);
/// null for frequency tables and for files that could not be recomputed.
/// </summary>
/// <param name="UnitsWithoutValue">Units that have no value in the value column (in no row of their cell).</param>
/// <param name="Units">Units in the table.</param>
/// <param name="SharePercent">UnitsWithoutValue / Units · 100; 0 for an empty table.</param>
/// <param name="RowsWithoutValue">Rows of the table whose value field is empty (also those of units that have a value in another row).</param>
/// <param name="Message">A sentence for a person, e.g. "1 of 100 units (1%) without a value in income; it is left out of the statistic."</param>
public sealed record MissingValuesVerdict(long UnitsWithoutValue, long Units, double SharePercent, long RowsWithoutValue, string Message);

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
    double? Difference,
    FeasibleIntervalVerdict? FeasibleInterval = null);

/// <summary>
/// What an attacker can derive for a suppressed cell from everything published (all linked tables, their
/// additive relations and a-priori bounds): the cell lies in [<see cref="Lower"/>, <see cref="Upper"/>];
/// null = unbounded. In the unit of the file's suppression quantity (for a mean table: the cell's sum).
/// Confidential like the cell value: for checkers, never published. <see cref="Reliable"/> false = an LP did
/// not finish cleanly (then the file fails).
/// </summary>
public sealed record FeasibleIntervalVerdict(double? Lower, double? Upper, bool Reliable);

/// <summary>Secondary suppression of one file: outcome, what it was computed on, and the information loss.</summary>
/// <param name="Status">The outcome; only <see cref="SuppressionOutcome.Protected"/>, <see cref="SuppressionOutcome.NotNeeded"/> and <see cref="SuppressionOutcome.NotApplicable"/> can go with a releasable pattern.</param>
/// <param name="Message">A sentence for a person.</param>
/// <param name="Quantity">The additive quantity suppressed (<c>count</c>, <c>sum of income</c>; a mean table is protected through its sums); null when not applicable.</param>
/// <param name="LinkedWith">Other files of the request solved together with this one (same population, linked cells).</param>
/// <param name="PrimaryCells">Primary-suppressed cells of this file.</param>
/// <param name="SecondaryCells">Cells of this file suppressed as secondaries.</param>
/// <param name="SecondaryValue">Sum of |quantity| over the secondary cells of this file.</param>
/// <param name="TableTotal">|grand total| of the quantity (sum of the inner cells for a table without margins).</param>
/// <param name="SecondaryShare">SecondaryValue / TableTotal; null when the total is 0.</param>
/// <param name="SolveSeconds">Wall time of the suppression solve of this file's problem (shared by linked files).</param>
public sealed record SuppressionVerdict(
    SuppressionOutcome Status,
    string Message,
    string? Quantity,
    IReadOnlyList<string> LinkedWith,
    int PrimaryCells,
    int SecondaryCells,
    double SecondaryValue,
    double? TableTotal,
    double? SecondaryShare,
    double SolveSeconds);

/// <summary>Outcome of secondary suppression for one file.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SuppressionOutcome>))]
public enum SuppressionOutcome
{
    /// <summary>No primary cell in this file or anything linked to it.</summary>
    [JsonStringEnumMemberName("not_needed")] NotNeeded,

    /// <summary>The statistic has no additive structure (median, percentiles, min, max, std): nothing to recompute from margins.</summary>
    [JsonStringEnumMemberName("not_applicable")] NotApplicable,

    /// <summary>Every primary cell meets its protection, verified by the attacker LP.</summary>
    [JsonStringEnumMemberName("protected")] Protected,

    /// <summary>Some primary cell cannot be protected by any pattern: do not publish.</summary>
    [JsonStringEnumMemberName("cannot_be_protected")] CannotBeProtected,

    /// <summary>Verification found an under-protected cell or an LP did not finish cleanly: do not publish.</summary>
    [JsonStringEnumMemberName("verification_failed")] VerificationFailed,

    /// <summary>The suppression problem could not be built or solved (message says why): do not publish.</summary>
    [JsonStringEnumMemberName("error")] Error,
}

/// <summary>A rule that fired on a cell, with its numbers.</summary>
public sealed record RuleVerdict(string Id, CheckStatus Status, string Message, IReadOnlyDictionary<string, double?> Numbers);
