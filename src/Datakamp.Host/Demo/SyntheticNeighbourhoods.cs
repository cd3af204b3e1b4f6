using System.Globalization;
using System.Text;

namespace Datakamp.Host.Demo;

/// <summary>
/// Writes synthetic persons microdata in the shape of the disclosure benchmark (issue 15): invented
/// people, never real ones, spread over 60 neighbourhoods of very different sizes, so that a 3-way table
/// neighbourhood × age_band × household_type (60 × 6 × 6 = 2,160 inner cells; 61 × 7 × 7 = 2,989 with
/// margins) has small cells in the small neighbourhoods. Deterministic for a seed.
/// <para>
/// Columns: person_id, neighbourhood, age_band, household_type, income. Neighbourhood sizes fall
/// geometrically from the largest to one 200 times smaller; with 2,000,000 persons, about 100 to 200
/// inner cells have fewer than 10 persons with an income. Income is yearly euros, log-normal, with 1%
/// high earners and a few very large values (so dominance fires in some cells); about 2% of persons
/// have no income (empty field) and about 0.2% no household type (empty field).
/// </para>
/// </summary>
public static class SyntheticNeighbourhoods
{
    public static readonly string[] Columns = ["person_id", "neighbourhood", "age_band", "household_type", "income"];

    public static readonly string[] Neighbourhoods =
        Enumerable.Range(1, 60).Select(i => "Buurt " + i.ToString("D2", CultureInfo.InvariantCulture)).ToArray();

    public static readonly string[] AgeBands = ["0-17", "18-29", "30-44", "45-64", "65-79", "80+"];

    public static readonly string[] HouseholdTypes =
        ["single", "couple without children", "couple with children", "single parent", "other multi-person", "institution"];

    /// <summary>The largest neighbourhood is this many times the smallest.</summary>
    public const double SizeRatio = 200;

    public const double MissingIncomeShare = 0.02;
    public const double MissingHouseholdTypeShare = 0.002;

    private static readonly double[] AgeBandWeights = [19, 13, 20, 27, 15, 6];
    private static readonly double[] HouseholdTypeWeights = [17, 25, 40, 9, 6, 3];

    /// <summary>Writes <paramref name="rows"/> persons as CSV (UTF-8, header, LF) to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, int rows, int seed)
    {
        var random = new Random(seed);
        var neighbourhoods = new Draw(NeighbourhoodWeights());
        var ageBands = new Draw(AgeBandWeights);
        var householdTypes = new Draw(HouseholdTypeWeights);
        var line = new StringBuilder(96);
        output.Write(string.Join(',', Columns));
        output.Write('\n');

        for (var person = 1; person <= rows; person++)
        {
            var neighbourhood = neighbourhoods.From(random);
            var ageBand = ageBands.From(random);
            var householdType = random.NextDouble() < MissingHouseholdTypeShare ? -1 : householdTypes.From(random);
            var income = random.NextDouble() < MissingIncomeShare ? (long?)null : Income(random, ageBand);

            line.Clear();
            line.Append('P').Append(person.ToString("D8", CultureInfo.InvariantCulture)).Append(',');
            line.Append(Neighbourhoods[neighbourhood]).Append(',');
            line.Append(AgeBands[ageBand]).Append(',');
            if (householdType >= 0) line.Append(HouseholdTypes[householdType]);
            line.Append(',');
            if (income is { } euros) line.Append(euros.ToString(CultureInfo.InvariantCulture));
            line.Append('\n');
            output.Write(line);
        }
    }

    /// <summary>
    /// Relative neighbourhood sizes: geometric from 1 down to 1/<see cref="SizeRatio"/>, assigned in a
    /// fixed scrambled order so the names do not sort by size.
    /// </summary>
    public static double[] NeighbourhoodWeights()
    {
        var count = Neighbourhoods.Length;
        var weights = new double[count];
        for (var rank = 0; rank < count; rank++)
            weights[rank * 37 % count] = Math.Pow(SizeRatio, -(double)rank / (count - 1));
        return weights;
    }

    /// <summary>Yearly income in whole euros: log-normal, low for minors, 3% zeros, 1% high earners, 1 in 20,000 very large.</summary>
    private static long Income(Random random, int ageBand)
    {
        if (random.NextDouble() < 0.03) return 0;
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var median = ageBand switch { 0 => 1_500, 1 => 22_000, 4 or 5 => 26_000, _ => 38_000 };
        var income = median * Math.Exp(0.7 * normal);
        if (random.NextDouble() < 0.01) income *= 8 + random.NextDouble() * 40;
        if (random.NextDouble() < 0.00005) income *= Math.Exp(Math.Log(100) + random.NextDouble() * Math.Log(30));
        return (long)Math.Round(income);
    }

    /// <summary>Draws an index with probability proportional to its weight (binary search on the running shares).</summary>
    private sealed class Draw(double[] weights)
    {
        private readonly double[] _upTo = RunningShares(weights);

        public int From(Random random)
        {
            var index = Array.BinarySearch(_upTo, random.NextDouble());
            return Math.Min(index >= 0 ? index + 1 : ~index, _upTo.Length - 1);
        }

        private static double[] RunningShares(double[] weights)
        {
            var shares = new double[weights.Length];
            var total = weights.Sum();
            var sum = 0.0;
            for (var i = 0; i < weights.Length; i++)
            {
                sum += weights[i];
                shares[i] = sum / total;
            }
            return shares;
        }
    }
}
