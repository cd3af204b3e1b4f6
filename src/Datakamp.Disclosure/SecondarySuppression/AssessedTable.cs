using Datakamp.Disclosure.PrimarySuppression;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>One recomputed table of a request after its rules and primary suppression.</summary>
/// <param name="Key">The caller's index of the table (its position in the request).</param>
/// <param name="Table">The recomputed table.</param>
/// <param name="Assessments">Its cells after the rules, by cell index.</param>
internal sealed record AssessedTable(int Key, RecomputedTable Table, IReadOnlyList<CellAssessment> Assessments);
