using System.Diagnostics;

namespace Datakamp.Check;

/// <summary>
/// "reading persons.csv: 45.1 / 139.8 MB (32%)" on stderr while the microdata is read, redrawn in place
/// at most five times a second. Only for a person at a terminal: redirected stderr (logs, tests) stays clean.
/// Reports arrive on the reader thread, hence the lock.
/// </summary>
internal sealed class CheckProgress(TextWriter error, string fileName, long totalBytes) : IProgress<long>, IDisposable
{
    private static readonly long Interval = Stopwatch.Frequency / 5;
    private readonly Lock _lock = new();
    private long _lastDrawn = -Interval;
    private bool _drawn;

    /// <summary>A progress reporter when stderr is a terminal, else null.</summary>
    public static CheckProgress? ForTerminal(string fileName, long totalBytes) =>
        Console.IsErrorRedirected ? null : new CheckProgress(Console.Error, fileName, totalBytes);

    public void Report(long value)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            if (now - _lastDrawn < Interval && value < totalBytes) return;
            _lastDrawn = now;
            var percent = totalBytes > 0 ? 100.0 * value / totalBytes : 100;
            error.Write($"\rreading {fileName}: {value / 1e6:0.0} / {totalBytes / 1e6:0.0} MB ({percent:0}%)   ");
            _drawn = true;
        }
    }

    /// <summary>Clears the progress line so the summary starts on a clean line.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_drawn) error.Write("\r" + new string(' ', 72) + "\r");
        }
    }
}
