using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>Seeded generator of random test tables: 1-D/2-D/3-D, skewed values with small cells, random primaries.</summary>
internal static class RandomTables
{
    public static TableBuilder Create(int seed, int? dimensionsOverride = null, int maxCategories = 0)
    {
        var rng = new Random(seed);
        var dims = dimensionsOverride ?? rng.Next(1, 4);
        var negative = rng.NextDouble() < 0.1;
        var dimensions = new SpanningVariable[dims];
        for (var d = 0; d < dims; d++)
        {
            var count = maxCategories > 0 ? maxCategories : dims switch
            {
                1 => rng.Next(2, 11),
                2 => rng.Next(2, 7),
                _ => rng.Next(2, 5),
            };
            dimensions[d] = new SpanningVariable($"d{d}", Enumerable.Range(0, count).Select(i => $"c{i}").ToArray());
        }

        var table = new TableBuilder(dimensions);
        if (negative)
        {
            table.DefaultBounds = (double.NegativeInfinity, double.PositiveInfinity);
        }

        var inner = Inner(dimensions).ToList();
        var values = new Dictionary<string, double>();
        foreach (var coords in inner)
        {
            // Skewed: a quarter small counts (0..4), the rest log-normal magnitudes.
            double v = rng.NextDouble() < 0.25 ? rng.Next(0, 5) : Math.Round(Math.Exp(2 + (1.5 * Normal(rng))));
            if (negative && rng.NextDouble() < 0.3)
            {
                v = -v;
            }

            table.Value(v, coords);
            values[table.CellId(coords)] = v;
        }

        table.FillMargins();
        var primaries = 0;
        foreach (var coords in inner)
        {
            if (rng.NextDouble() < 0.12)
            {
                MarkPrimary(table, coords, values[table.CellId(coords)], rng, negative);
                primaries++;
            }
        }

        if (primaries == 0)
        {
            var pick = inner[rng.Next(inner.Count)];
            MarkPrimary(table, pick, values[table.CellId(pick)], rng, negative);
        }

        return table;
    }

    private static void MarkPrimary(TableBuilder table, string[] coords, double problemValue, Random rng, bool negative)
    {
        var magnitude = Math.Abs(problemValue);
        var protection = Math.Max(1, Math.Round(0.1 * magnitude * (0.5 + rng.NextDouble()), 1));
        var lower = negative ? protection : Math.Min(protection, problemValue);
        table.Primary(lower, protection, coords);
    }

    public static IEnumerable<string[]> Inner(IReadOnlyList<SpanningVariable> dimensions)
    {
        IEnumerable<string[]> acc = [[]];
        foreach (var dim in dimensions)
        {
            acc = acc.SelectMany(prefix => dim.Categories.Select(c => prefix.Append(c).ToArray()));
        }

        return acc;
    }

    private static double Normal(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
