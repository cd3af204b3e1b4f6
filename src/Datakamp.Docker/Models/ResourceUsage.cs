using System.Text.Json.Serialization;

namespace Datakamp.Docker;

/// <summary>
/// A container's resource counters at one moment: cumulative CPU time, memory and process count.
/// From the Engine API (<c>stats</c>) or straight from the cgroup files (<see cref="CgroupV1UsageReader"/>).
/// </summary>
/// <param name="ReadAt">When the numbers were read.</param>
/// <param name="CpuUsageNanoseconds">CPU time used since start, all cores together.</param>
/// <param name="MemoryUsageBytes">Memory charged to the container, page cache included.</param>
/// <param name="MemoryMaxUsageBytes">The highest <paramref name="MemoryUsageBytes"/> seen (cgroup v1).</param>
/// <param name="MemoryCacheBytes">The page cache part of <paramref name="MemoryUsageBytes"/>.</param>
/// <param name="MemoryLimitBytes">
/// The limit. The stats API reports the host's memory when there is none; the cgroup reader reports null.
/// </param>
/// <param name="Pids">Processes and threads.</param>
/// <param name="PidsLimit">The pids limit, null when there is none.</param>
public sealed record ContainerResourceUsage(
    DateTimeOffset ReadAt,
    long CpuUsageNanoseconds,
    long MemoryUsageBytes,
    long? MemoryMaxUsageBytes,
    long? MemoryCacheBytes,
    long? MemoryLimitBytes,
    long Pids,
    long? PidsLimit);

// The subset of GET /containers/{id}/stats we map (snake_case, unlike the rest of the Engine API).
internal sealed record StatsResponse(
    [property: JsonPropertyName("read")] DateTimeOffset Read,
    [property: JsonPropertyName("cpu_stats")] StatsCpu? CpuStats,
    [property: JsonPropertyName("memory_stats")] StatsMemory? MemoryStats,
    [property: JsonPropertyName("pids_stats")] StatsPids? PidsStats);

internal sealed record StatsCpu([property: JsonPropertyName("cpu_usage")] StatsCpuUsage? CpuUsage);

internal sealed record StatsCpuUsage([property: JsonPropertyName("total_usage")] long TotalUsage);

internal sealed record StatsMemory(
    [property: JsonPropertyName("usage")] long? Usage,
    [property: JsonPropertyName("max_usage")] long? MaxUsage,
    [property: JsonPropertyName("limit")] long? Limit,
    [property: JsonPropertyName("stats")] IReadOnlyDictionary<string, long>? Stats);

internal sealed record StatsPids(
    [property: JsonPropertyName("current")] long? Current,
    [property: JsonPropertyName("limit")] long? Limit);
