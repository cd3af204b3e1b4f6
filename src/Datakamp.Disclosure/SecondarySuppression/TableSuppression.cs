using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>Secondary suppression of one table: the file's summary and, per suppressed cell index, its kind and interval.</summary>
internal sealed record TableSuppression(SuppressionVerdict Verdict, IReadOnlyDictionary<int, SuppressedCell> Suppressed, bool LinkFailed);
