namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Canonical cell id for (linked) tables: the non-total coordinates sorted by dimension name,
/// e.g. <c>region=North;sector=A</c>; a dimension at its total is omitted; the grand total is <c>(total)</c>.
/// Two tables that share dimensions therefore give the same id to the same population cell.
/// </summary>
public static class CellKey
{
    /// <summary>The id of the grand total.</summary>
    public const string GrandTotal = "(total)";

    /// <summary>Id from (dimension, category) pairs; pairs at a total must be left out.</summary>
    public static string For(IEnumerable<KeyValuePair<string, string>> nonTotalCoordinates)
    {
        ArgumentNullException.ThrowIfNull(nonTotalCoordinates);
        var parts = nonTotalCoordinates
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key + "=" + kv.Value)
            .ToList();
        return parts.Count == 0 ? GrandTotal : string.Join(";", parts);
    }
}
