using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>The result of recomputing several tables in one pass over the microdata.</summary>
/// <param name="Tables">One outcome per spec, in the order given.</param>
/// <param name="Sha256">Hash of the whole file; null when reading stopped early (every table failed).</param>
/// <param name="Bytes">Bytes read.</param>
public sealed record MicrodataPass(IReadOnlyList<TableOutcome> Tables, string? Sha256, long Bytes);

/// <summary>A recomputed table, or the input error that stopped it (never both).</summary>
public sealed record TableOutcome(TableSpec Spec, RecomputedTable? Table, DisclosureInputException? Error);
