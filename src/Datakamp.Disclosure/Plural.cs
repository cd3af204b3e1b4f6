using System.Globalization;

namespace Datakamp.Disclosure;

/// <summary>
/// Counts in messages a person reads: "1 unit", "2 units", never "1 units". English needs only the
/// singular and plural form, so callers pass both (irregular words such as "category/categories" too).
/// </summary>
public static class Plural
{
    /// <summary>The number and the word: <c>Count(1, "cell", "cells")</c> is "1 cell", with thousands separators.</summary>
    public static string Count(long n, string singular, string plural) =>
        n.ToString("N0", CultureInfo.InvariantCulture) + " " + Word(n, singular, plural);

    /// <summary>Only the word (or verb) that agrees with <paramref name="n"/>: <c>Word(1, "fails", "fail")</c>.</summary>
    public static string Word(long n, string singular, string plural) => n == 1 ? singular : plural;
}
