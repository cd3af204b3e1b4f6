namespace Datakamp.Docker;

/// <summary>What happened to a workload: the few changes the host may act on (not every engine event).</summary>
public enum WorkloadChangeKind
{
    Created,
    Started,
    /// <summary>Its main process ended (stopped, crashed or killed).</summary>
    Died,
    /// <summary>The kernel killed a process in it for using more memory than its limit (a <see cref="Died"/> usually follows).</summary>
    OutOfMemory,
    Removed,
}
