namespace Datakamp.Host.Options;

/// <summary>Host-wide defaults for team sandboxes (section <c>Sandboxes</c>); an event may choose its own image and limits.</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandboxes";

    /// <summary>The analysis image (built locally by scripts/setup; never pulled).</summary>
    public string Image { get; set; } = "datakamp/python:bookworm";

    public int MemoryMb { get; set; } = 2048;

    public double Cpus { get; set; } = 1.0;

    public int PidsLimit { get; set; } = 512;

    /// <summary>Size of the tmpfs /tmp (HOME and Jupyter state live there); it counts against the memory limit.</summary>
    public int TmpMb { get; set; } = 256;

    /// <summary>
    /// Size of each team's disk image, which holds /workspace and /outbox: the kernel refuses writes past it
    /// ("No space left on device"), so a team cannot fill the host's disk. An event may set its own
    /// (events.sandbox_workspace_mb). A changed size applies to images created afterwards.
    /// </summary>
    public int WorkspaceQuotaMb { get; set; } = 2048;

    /// <summary>
    /// Below this much free space on the state disk no sandbox starts: the same disk holds PostgreSQL,
    /// the release store and (usually) Docker's data, and sparse team images grow as teams write.
    /// </summary>
    public int MinFreeStateDiskMb { get; set; } = 2048;

    /// <summary>
    /// The base of the uid:gid sandboxes run as: team N runs as (SandboxUid + N):(SandboxGid + N), ids that map to no
    /// account on the host, one per team.
    /// </summary>
    public int SandboxUid { get; set; } = 47000;

    public int SandboxGid { get; set; } = 47000;

    /// <summary>How often the reconciler compares desired state with the engine.</summary>
    public int ReconcileIntervalSeconds { get; set; } = 30;

    /// <summary>How long a stop waits for the sandbox to exit before it is killed.</summary>
    public int StopGraceSeconds { get; set; } = 10;

    /// <summary>
    /// A running sandbox with no activity for this long is stopped (its workspace stays). Activity is a
    /// request through the IDE proxy, a busy or recently active kernel, or CPU use. 0: never.
    /// </summary>
    public int IdleStopSeconds { get; set; } = 7200;

    /// <summary>Average CPU use (in cores) above which a sandbox counts as active even without web traffic.</summary>
    public double ActiveCpuCores { get; set; } = 0.05;

    /// <summary>How long a start waits for Jupyter to answer before the start counts as failed.</summary>
    public int ReadyTimeoutSeconds { get; set; } = 60;
}
