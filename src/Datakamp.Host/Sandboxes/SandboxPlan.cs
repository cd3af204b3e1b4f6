namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Everything that decides what one team's container looks like, gathered before it is built:
/// who it is for, which image and limits, which host folders (and the size of the team's disk
/// image), which granted datasets.
/// </summary>
public sealed record SandboxPlan(
    string Installation,
    string EventSlug,
    string TeamSlug,
    string ContainerName,
    string Image,
    string IdeToken,
    int Generation,
    SandboxLimits Limits,
    SandboxFolders Folders,
    int WorkspaceQuotaMb,
    IReadOnlyList<GrantedDataFile> Data,
    int Uid,
    int Gid);

/// <summary>Resource limits: memory (also the swap limit: no swap), CPUs, processes, and the /tmp tmpfs.</summary>
public sealed record SandboxLimits(long MemoryBytes, double Cpus, long Pids, long TmpBytes);

/// <summary>A granted microdata file on the host and the name it gets under /data.</summary>
public sealed record GrantedDataFile(string DatasetName, string HostPath)
{
    public string ContainerPath => $"/data/{DatasetName}.csv";
}
