using System.Diagnostics;
using System.Globalization;

namespace Datakamp.Benchmarks.Sandboxes;

/// <summary>
/// CPU seconds spent during a batch: by the whole machine (/proc/stat), by dockerd and containerd, and by
/// this process (the Datakamp host's code: manager, proxy, PostgreSQL client). On 2 cores this shows
/// whether the time goes to Jupyter itself or to the machinery around it.
/// </summary>
internal sealed class CpuMeter
{
    private static readonly double TicksPerSecond = 100;   // USER_HZ: 100 on every Linux we run on
    private const string ContainersUsage = "/sys/fs/cgroup/cpuacct/docker/cpuacct.usage";
    private readonly Dictionary<string, double> _begin;

    private CpuMeter() => _begin = Sample();

    public static CpuMeter Start() => new();

    public IReadOnlyDictionary<string, double> Stop()
    {
        var end = Sample();
        return end.ToDictionary(e => e.Key, e => _begin.TryGetValue(e.Key, out var b) ? e.Value - b : double.NaN);
    }

    /// <summary>CPU seconds by command name of the processes alive at the end (a process that exited counts for its parent once reaped).</summary>
    public static Dictionary<string, double> ByCommand()
    {
        var byCommand = new Dictionary<string, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var comm = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                byCommand[comm] = byCommand.GetValueOrDefault(comm) + ProcessSeconds(pid) + ChildrenSeconds(stat);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return byCommand;
    }

    /// <summary>The commands that used the most CPU since <paramref name="before"/> was taken, e.g. "python3 20.1, dockerd 4.2".</summary>
    public static string Top(Dictionary<string, double> before, int count = 6) =>
        string.Join(", ", ByCommand().Select(e => (e.Key, Seconds: e.Value - before.GetValueOrDefault(e.Key)))
            .Where(e => e.Seconds >= 0.05).OrderByDescending(e => e.Seconds).Take(count).Select(e => $"{e.Key} {e.Seconds:0.0}"));

    private static double ChildrenSeconds(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (double.Parse(fields[13], CultureInfo.InvariantCulture) + double.Parse(fields[14], CultureInfo.InvariantCulture)) / TicksPerSecond;   // cutime, cstime
    }

    private static Dictionary<string, double> Sample()
    {
        var sample = new Dictionary<string, double>
        {
            ["machine"] = MachineBusySeconds(),
            ["benchmark"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        };
        // cgroup v1 (this engine): every container's CPU, whoever started it. NaN where there is no such file.
        sample["containers"] = File.Exists(ContainersUsage) ? double.Parse(File.ReadAllText(ContainersUsage).Trim(), CultureInfo.InvariantCulture) / 1e9 : double.NaN;
        foreach (var name in new[] { "dockerd", "containerd" })
            sample[name] = ProcessesNamed(name).Sum(ProcessSeconds);
        return sample;
    }

    private static double MachineBusySeconds()
    {
        // cpu  user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }

    private static IEnumerable<int> ProcessesNamed(string name)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string? comm;
            try { comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (comm == name) yield return pid;
        }
    }

    private static double ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // after "pid (comm) ": state is field 3
            return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;   // utime, stime
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }
}
