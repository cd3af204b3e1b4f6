using System.Diagnostics;
using System.Globalization;
using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>200 seeded random tables (1-D/2-D/3-D), each suppressed and then audited independently with GLPK.</summary>
public sealed class RandomTablesAuditTests(ITestOutputHelper output)
{
    private const int BaseSeed = 20_240_601;

    [Fact]
    public void TwoHundredRandomTablesAreProtectedAccordingToGlpk()
    {
        Glpsol.Require();
        var watch = Stopwatch.StartNew();
        var solverTime = TimeSpan.Zero;
        int cells = 0, primaries = 0, secondaries = 0;
        double publishedValue = 0, secondaryValue = 0;
        for (var t = 0; t < 200; t++)
        {
            var problem = RandomTables.Create(BaseSeed + t).Build();
            var s = Stopwatch.StartNew();
            var result = SecondarySuppressor.Run(problem);
            solverTime += s.Elapsed;
            try
            {
                GlpkAudit.AssertProtected(problem, result);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException($"Table seed {BaseSeed + t} failed the audit: {e.Message}", e);
            }

            cells += problem.Cells.Count;
            primaries += problem.Cells.Count(c => c.IsPrimary);
            secondaries += result.SecondaryCount;
            publishedValue += problem.Cells.Sum(c => Math.Abs(c.Value));
            secondaryValue += result.SecondaryValueSum;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"200 tables: {cells} cells, {primaries} primaries, {secondaries} secondaries ({secondaries / (double)primaries:F2} per primary), secondary value {100 * secondaryValue / publishedValue:F2}% of total |value|; solver {solverTime.TotalSeconds:F1}s, total {watch.Elapsed.TotalSeconds:F1}s"));
    }
}
