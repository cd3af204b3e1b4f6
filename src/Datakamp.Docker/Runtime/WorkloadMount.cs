namespace Datakamp.Docker;

/// <summary>One mount of a <see cref="Workload"/>: the host path (or volume) and where the workload sees it.</summary>
public sealed record WorkloadMount(string Source, string Target, bool ReadOnly);
