namespace Datakamp.Docker;

/// <summary>What <see cref="ISandboxRuntime.EnsureRunningAsync"/> did.</summary>
/// <param name="Workload">The workload as it is now (running, unless it died at once).</param>
/// <param name="Replaced">The stale workload that was removed because its fingerprint differed, or null: the caller
/// audits what changed (e.g. the datasets it had mounted).</param>
/// <param name="StartRefusal">The runtime's reason when it refused to start the existing workload and it was replaced
/// from the same spec, or null: worth a warning in the log.</param>
public sealed record EnsureRunningOutcome(Workload Workload, Workload? Replaced, string? StartRefusal);
