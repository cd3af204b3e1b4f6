using System.Globalization;
using System.Text.RegularExpressions;

namespace Datakamp.Docker;

/// <summary>
/// Reads a running container's counters straight from the cgroup v1 files the engine (cgroupfs driver) creates:
/// <c>{root}/{cpuacct,memory,pids}/{parent}/{id}/...</c>. Instant, where the engine's stats API can take seconds
/// per call. Only for engines with cgroup v1 and the cgroupfs driver, as on these machines.
/// </summary>
public sealed partial class CgroupV1UsageReader(string cgroupRoot = "/sys/fs/cgroup", string cgroupParent = "docker")
{
    // cgroup v1 reports "no limit" as a page-rounded LONG_MAX.
    private const long UnlimitedThreshold = 1L << 62;

    /// <summary>The counters of the container with this full 64-hex id, or null when it has no cgroup (not running).</summary>
    public ContainerResourceUsage? Read(string containerId)
    {
        if (!FullContainerId().IsMatch(containerId))
            throw new ArgumentException($"a full 64-character container id is required (got '{containerId}')", nameof(containerId));

        var cpu = Path.Combine(cgroupRoot, "cpuacct", cgroupParent, containerId);
        var memory = Path.Combine(cgroupRoot, "memory", cgroupParent, containerId);
        var pids = Path.Combine(cgroupRoot, "pids", cgroupParent, containerId);
        try
        {
            var readAt = DateTimeOffset.UtcNow;
            var cpuNs = ReadLong(Path.Combine(cpu, "cpuacct.usage"));
            var usage = ReadLong(Path.Combine(memory, "memory.usage_in_bytes"));
            var maxUsage = ReadLong(Path.Combine(memory, "memory.max_usage_in_bytes"));
            var limit = ReadLong(Path.Combine(memory, "memory.limit_in_bytes"));
            var cache = ReadStat(Path.Combine(memory, "memory.stat"), "cache");
            var pidsCurrent = ReadLong(Path.Combine(pids, "pids.current"));
            var pidsMax = File.ReadAllText(Path.Combine(pids, "pids.max")).Trim();
            return new ContainerResourceUsage(
                readAt,
                cpuNs,
                usage,
                maxUsage,
                cache,
                limit >= UnlimitedThreshold ? null : limit,
                pidsCurrent,
                pidsMax == "max" ? null : long.Parse(pidsMax, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;   // not running, or stopped while we read
        }
    }

    private static long ReadLong(string path) => long.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);

    private static long? ReadStat(string path, string key)
    {
        foreach (var line in File.ReadLines(path))
        {
            var space = line.IndexOf(' ');
            if (space > 0 && line.AsSpan(0, space).SequenceEqual(key))
                return long.Parse(line.AsSpan(space + 1), CultureInfo.InvariantCulture);
        }
        return null;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex FullContainerId();
}
