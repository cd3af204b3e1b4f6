namespace Datakamp.Docker;

/// <summary>One change of a workload seen by <see cref="ISandboxRuntime.WatchAsync"/>.</summary>
/// <param name="Id">The workload's id.</param>
/// <param name="Name">Its name, without Docker's leading slash (empty when the runtime did not say).</param>
/// <param name="Kind">What happened.</param>
/// <param name="ExitCode">How its main process ended, for <see cref="WorkloadChangeKind.Died"/>; null otherwise.</param>
/// <param name="At">When it happened.</param>
public sealed record WorkloadChange(string Id, string Name, WorkloadChangeKind Kind, long? ExitCode, DateTimeOffset At);
