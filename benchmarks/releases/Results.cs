using System.Diagnostics;

namespace Datakamp.Benchmarks.Releases;

/// <summary>One monotonic clock for the whole run, in milliseconds since the program started.</summary>
internal static class Clock
{
    private static readonly long Origin = Stopwatch.GetTimestamp();

    public static double Now => Stopwatch.GetElapsedTime(Origin).TotalMilliseconds;
}

/// <summary>
/// One table, one method: milliseconds from just before the submit (or the check) until the verdict, and the verdict
/// on the table file.
/// </summary>
internal sealed record Timing(string Table, double Ms, string Verdict, bool Ok = true)
{
    /// <summary>Why the engine gave that verdict (engine alone only).</summary>
    public string Reasons { get; init; } = "";

    /// <summary>Where the time went (Datakamp only), in order.</summary>
    public IReadOnlyList<(string Phase, double Ms)> Phases { get; init; } = [];
}

/// <summary>The timings of one method in one phase (sequential, or all at once), and the machine while it ran.</summary>
internal sealed record Series(string Method, string Phase, IReadOnlyList<Timing> Timings, double WallMs, MachineLoad Load)
{
    public IEnumerable<double> Ms => Timings.Where(t => t.Ok).Select(t => t.Ms);

    public double P50 => Stats.Percentile(Ms, 50);

    public double P95 => Stats.Percentile(Ms, 95);

    public double Max => Ms.DefaultIfEmpty(double.NaN).Max();

    public int Failed => Timings.Count(t => !t.Ok);
}

internal static class Stats
{
    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = p / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}

/// <summary>How busy the whole machine was over a span: the share of CPU time not idle, from /proc/stat, and the load average.</summary>
internal sealed record MachineLoad(double BusyPercent, string LoadAverage)
{
    public static (long Busy, long Total) Sample()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Take(8).Sum();
        return (total - idle, total);
    }

    public static MachineLoad Since((long Busy, long Total) start)
    {
        var end = Sample();
        var total = end.Total - start.Total;
        var busy = total == 0 ? double.NaN : 100.0 * (end.Busy - start.Busy) / total;
        return new MachineLoad(busy, string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)));
    }
}
