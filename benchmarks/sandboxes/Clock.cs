using System.Diagnostics;

namespace Datakamp.Benchmarks.Sandboxes;

/// <summary>One monotonic clock for the whole run, in milliseconds since the program started.</summary>
internal static class Clock
{
    private static readonly long Origin = Stopwatch.GetTimestamp();

    public static double Now => Stopwatch.GetElapsedTime(Origin).TotalMilliseconds;
}
