using System.Globalization;

namespace Datakamp.Disclosure.Rules;

/// <summary>Number formatting for rule messages: invariant culture, up to 6 significant decimals.</summary>
internal static class RuleText
{
    public static string N(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A share in percent for a person to read: at most two decimals ("1", "0.2", "33.33").</summary>
    public static string Percent(double v) =>
        v > 0 && v < 0.005 ? "<0.01" : v.ToString("0.##", CultureInfo.InvariantCulture);   // never "0%" for a share that is not zero
}
