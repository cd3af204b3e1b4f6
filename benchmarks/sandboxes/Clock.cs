using System.Diagnostics;

namespace Datakamp.Benchmarks.Sandboxes;

/// <summary>One monotonic clock for the whole run, in milliseconds since the program started.</summary>
internal static class Clock
{
    private static readonly long Origin = Stopwatch.GetTimestamp();

    private static long _exceptions;

    public static double Now => Stopwatch.GetElapsedTime(Origin).TotalMilliseconds;

    /// <summary>Exceptions thrown in this process so far (first chance, caught or not): a cost the CPU columns do not explain by themselves.</summary>
    public static long Exceptions => Interlocked.Read(ref _exceptions);

    public static void CountExceptions() => AppDomain.CurrentDomain.FirstChanceException += (_, _) => Interlocked.Increment(ref _exceptions);
}
