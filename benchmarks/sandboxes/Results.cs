namespace Datakamp.Benchmarks.Sandboxes;

/// <summary>One sandbox of a batch: when it was ready (ms after the batch began) and where the time went.</summary>
internal sealed record SandboxTiming(string Name, double ReadyMs, IReadOnlyList<(string Phase, double Ms)> Phases, string? Error = null)
{
    public bool Ok => Error is null;

    public static SandboxTiming Failed(string name, double atMs, string error) => new(name, atMs, [], error);
}

/// <summary>N sandboxes started at once, by one method.</summary>
internal sealed record BatchResult(string Method, int N, int Run, double WallMs, IReadOnlyList<SandboxTiming> Sandboxes)
{
    /// <summary>CPU seconds during the batch (<see cref="CpuMeter"/>).</summary>
    public IReadOnlyDictionary<string, double> Cpu { get; init; } = new Dictionary<string, double>();

    /// <summary>CPU seconds by command during the batch, the largest first (live processes; reaped children count for their parent).</summary>
    public string TopCommands { get; init; } = "";

    /// <summary>Exceptions thrown in this process during the batch (the Datakamp host code, or the plain method's process handling).</summary>
    public long Exceptions { get; init; }

    /// <summary>Container inspects the manager made per sandbox (Datakamp only).</summary>
    public double MedianInspects { get; init; } = double.NaN;

    public int ReadyCount => Sandboxes.Count(s => s.Ok);

    public bool AllReady => ReadyCount == N;

    public double MedianReadyMs => Stats.Median(Sandboxes.Where(s => s.Ok).Select(s => s.ReadyMs));

    public double MaxReadyMs => Sandboxes.Where(s => s.Ok).Select(s => s.ReadyMs).DefaultIfEmpty(double.NaN).Max();

    public double PhaseMedian(string phase) => Stats.Median(Sandboxes.Where(s => s.Ok).SelectMany(s => s.Phases).Where(p => p.Phase == phase).Select(p => p.Ms));
}

internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
