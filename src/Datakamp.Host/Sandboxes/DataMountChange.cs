using Datakamp.Docker;

namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Which datasets a container that is about to be replaced had under /data and the new plan does not (a grant revoked
/// or ended), and the other way round (a new grant). The manager audits it, so the trail shows when data left or
/// entered a team's sandbox, not only when a grant changed.
/// </summary>
public sealed record DataMountChange(IReadOnlyList<string> Removed, IReadOnlyList<string> Added)
{
    /// <summary>The change from <paramref name="current"/>'s data mounts to <paramref name="plan"/>'s, or null when they are the same.</summary>
    public static DataMountChange? Between(Workload current, SandboxPlan plan)
    {
        var mounted = current.Mounts
            .Select(mount => mount.Target)
            .Where(path => path.StartsWith("/data/", StringComparison.Ordinal) && path.EndsWith(".csv", StringComparison.Ordinal))
            .Select(path => path["/data/".Length..^".csv".Length])
            .ToHashSet(StringComparer.Ordinal);
        var planned = plan.Data.Select(file => file.DatasetName).ToHashSet(StringComparer.Ordinal);
        var removed = mounted.Except(planned).Order(StringComparer.Ordinal).ToList();
        var added = planned.Except(mounted).Order(StringComparer.Ordinal).ToList();
        return removed.Count == 0 && added.Count == 0 ? null : new DataMountChange(removed, added);
    }
}
