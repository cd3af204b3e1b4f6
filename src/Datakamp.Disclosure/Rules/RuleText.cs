using System.Globalization;

namespace Datakamp.Disclosure.Rules;

/// <summary>Number formatting for rule messages: invariant culture, up to 6 significant decimals.</summary>
internal static class RuleText
{
    public static string N(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
