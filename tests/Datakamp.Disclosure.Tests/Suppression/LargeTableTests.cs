using System.Diagnostics;
using System.Globalization;
using Datakamp.Disclosure.Suppression;

namespace Datakamp.Disclosure.Tests.Suppression;

/// <summary>
/// Tables of the sizes an event produces are protected, checked by GLPK. Their solve times are written to the
/// test output for information only: timing is measured in benchmarks/, never asserted (machines are noisy).
/// </summary>
public sealed class LargeTableTests(ITestOutputHelper output)
{
    [Fact]
    public void A_district_by_age_by_household_type_table_of_2288_cells_is_protected()
    {
        // 12 districts × 10 age bands × 15 household types + margins = 13 × 11 × 16 = 2,288 cells.
        var rng = new Random(7);
        var table = new TableBuilder(
            new TableDimension("district", Names("D", 12)),
            new TableDimension("age", Names("A", 10)),
            new TableDimension("household", Names("H", 15)));
        var inner = RandomTables.Inner(table.Dimensions).ToList();
        var values = new Dictionary<string, double>();
        foreach (var c in inner)
        {
            var v = rng.NextDouble() < 0.2 ? rng.Next(0, 5) : Math.Round(Math.Exp(3 + rng.NextDouble() * 2));
            table.Value(v, c);
            values[table.CellId(c)] = v;
        }

        table.FillMargins();
        var primaries = 0;
        foreach (var c in inner)
        {
            var v = values[table.CellId(c)];
            if (v is > 0 and < 3 && rng.NextDouble() < 0.5)
            {
                table.Primary(Math.Min(v, 1 + (0.1 * v)), 1 + (0.1 * v), c);
                primaries++;
            }
        }

        var problem = table.Build();
        var watch = Stopwatch.StartNew();
        var result = SecondarySuppressor.Run(problem);
        var elapsed = watch.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{problem.Cells.Count} cells, {primaries} primaries, {result.SecondaryCount} secondaries, secondary value {result.SecondaryValueSum}, {elapsed.TotalSeconds:F2}s"));

        Assert.Equal(SuppressionStatus.Protected, result.Status);
        GlpkAudit.AssertProtected(problem, result, primariesOnly: true);
    }

    [Fact]
    public void A_256_cell_two_way_table_is_protected()
    {
        var table = RandomTables.Create(99, dimensionsOverride: 2, maxCategories: 15); // 16 × 16 = 256 cells
        var problem = table.Build();
        _ = SecondarySuppressor.Run(RandomTables.Create(98, 2, 5).Build()); // JIT warm-up
        var watch = Stopwatch.StartNew();
        var result = SecondarySuppressor.Run(problem);
        var elapsed = watch.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{problem.Cells.Count} cells, {problem.Cells.Count(c => c.IsPrimary)} primaries, {result.SecondaryCount} secondaries, {elapsed.TotalMilliseconds:F0} ms"));
        Assert.Equal(SuppressionStatus.Protected, result.Status);
        GlpkAudit.AssertProtected(problem, result);
    }

    private static string[] Names(string prefix, int n) => Enumerable.Range(1, n).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();
}
