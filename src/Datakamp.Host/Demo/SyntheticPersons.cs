using System.Globalization;
using System.Text;

namespace Datakamp.Host.Demo;

/// <summary>
/// Writes synthetic persons microdata: invented people, never real ones, shaped like the CBS
/// persons files a Datakamp works on (poverty, benefits, debt assistance). Deterministic for a seed,
/// so tests and benchmarks can rely on the same file.
/// <para>
/// Columns: person_id, household_id, district (12), age_band (10), sex, household_type (15),
/// income (yearly euros, right-skewed with a few very large values; empty = missing, always for
/// children under 15), benefit (yes/no), debt_assistance (yes/no), weight.
/// A 3-way table district × age_band × household_type has 12 × 10 × 15 = 1,800 inner cells.
/// </para>
/// </summary>
public static class SyntheticPersons
{
    public static readonly string[] Columns =
        ["person_id", "household_id", "district", "age_band", "sex", "household_type", "income", "benefit", "debt_assistance", "weight"];

    public static readonly string[] Districts =
        ["Centrum", "Noord", "Oost", "Zuid", "West", "Haven", "Oude Stad", "Parkwijk", "Molenbuurt", "Dijkzicht", "Nieuw-West", "Buitenveld"];

    public static readonly string[] AgeBands =
        ["0-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85-94", "95+"];

    public static readonly string[] HouseholdTypes =
    [
        "single <35", "single 35-64", "single 65+", "couple no children <65", "couple no children 65+",
        "couple 1 child", "couple 2 children", "couple 3+ children", "single parent 1 child", "single parent 2+ children",
        "multi-generation", "student house", "institution", "other multi-person", "unknown",
    ];

    // Age bands are not equally common; the oldest bands are deliberately small, so tables have unsafe cells.
    private static readonly double[] AgeBandWeights = [16, 12, 13, 13, 14, 13, 10, 6, 2.5, 0.5];

    /// <summary>Writes <paramref name="rows"/> persons as CSV (UTF-8, header, LF) to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, int rows, int seed)
    {
        var random = new Random(seed);
        var ageCumulative = Cumulative(AgeBandWeights);
        var line = new StringBuilder(128);
        output.Write(string.Join(',', Columns));
        output.Write('\n');

        var householdId = 0;
        var membersLeft = 0;
        var district = 0;
        var householdType = 0;
        for (var person = 1; person <= rows; person++)
        {
            if (membersLeft == 0)
            {
                // A new household: its members share district and household type.
                householdId++;
                membersLeft = 1 + (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 1.3);
                district = random.Next(Districts.Length);
                householdType = random.Next(HouseholdTypes.Length);
            }
            membersLeft--;

            var ageBand = Pick(ageCumulative, random.NextDouble());
            var sex = random.Next(2) == 0 ? "M" : "V";
            var benefit = random.NextDouble() < 0.12;
            var debtAssistance = random.NextDouble() < (benefit ? 0.15 : 0.03);

            line.Clear();
            line.Append('P').Append(person.ToString("D8", CultureInfo.InvariantCulture)).Append(',');
            line.Append('H').Append(householdId.ToString("D8", CultureInfo.InvariantCulture)).Append(',');
            AppendCsvField(line, Districts[district]).Append(',');
            line.Append(AgeBands[ageBand]).Append(',');
            line.Append(sex).Append(',');
            AppendCsvField(line, HouseholdTypes[householdType]).Append(',');
            if (ageBand > 0) line.Append(Income(random, benefit).ToString(CultureInfo.InvariantCulture));
            line.Append(',');
            line.Append(benefit ? "yes" : "no").Append(',');
            line.Append(debtAssistance ? "yes" : "no").Append(',');
            line.Append((0.8 + random.NextDouble() * 0.4).ToString("0.000", CultureInfo.InvariantCulture));
            line.Append('\n');
            output.Write(line);
        }
    }

    /// <summary>Yearly income in whole euros: log-normal, lower with a benefit, 1% very high earners, some zeros.</summary>
    private static long Income(Random random, bool benefit)
    {
        if (random.NextDouble() < 0.03) return 0;
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var median = benefit ? 16_000 : 34_000;
        var income = median * Math.Exp(0.6 * normal);
        if (random.NextDouble() < 0.01) income *= 8 + random.NextDouble() * 40;
        return (long)Math.Round(income);
    }

    private static StringBuilder AppendCsvField(StringBuilder line, string value) =>
        value.Contains(',') || value.Contains('"') ? line.Append('"').Append(value.Replace("\"", "\"\"")).Append('"') : line.Append(value);

    private static double[] Cumulative(double[] weights)
    {
        var total = weights.Sum();
        var cumulative = new double[weights.Length];
        var running = 0.0;
        for (var i = 0; i < weights.Length; i++) cumulative[i] = running += weights[i] / total;
        return cumulative;
    }

    private static int Pick(double[] cumulative, double u)
    {
        for (var i = 0; i < cumulative.Length; i++) if (u < cumulative[i]) return i;
        return cumulative.Length - 1;
    }
}
