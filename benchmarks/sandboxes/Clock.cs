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

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> ByType = new();

    public static void CountExceptions() => AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
    {
        Interlocked.Increment(ref _exceptions);
        ByType.AddOrUpdate($"{e.Exception.GetType().Name} ({e.Exception.Message.Split(':')[0]})", 1, (_, n) => n + 1);
    };

    /// <summary>The kinds of exception thrown most so far, e.g. for the progress lines.</summary>
    public static string TopExceptionTypes(int count = 4) =>
        string.Join("; ", ByType.OrderByDescending(e => e.Value).Take(count).Select(e => $"{e.Key} × {e.Value}"));
}
