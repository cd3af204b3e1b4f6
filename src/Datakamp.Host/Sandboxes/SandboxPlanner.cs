using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Sandboxes;
using Datakamp.Host.Options;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Gathers everything that decides one team's container into a <see cref="SandboxPlan"/>: the event's image and
/// limits (or the installation's defaults), the datasets granted today, the team's folders and its own uid and gid.
/// A plan is built once per operation and passed on, so start, audit and the out-of-memory message all describe the
/// same container.
/// </summary>
public sealed class SandboxPlanner(EventRepository events, DatasetRepository datasets, SandboxRepository sandboxes, IOptions<SandboxOptions> sandboxOptions, IOptions<StorageOptions> storageOptions, TimeProvider clock)
{
    private string? _installation;

    /// <summary>Most teams an installation can give their own uid and gid (the ids after Sandboxes:SandboxUid/SandboxGid).</summary>
    public const int MaxTeamIds = 9999;

    private SandboxOptions Options => sandboxOptions.Value;

    public async Task<SandboxPlan> PlanAsync(SandboxRecord record, CancellationToken cancellationToken)
    {
        var settings = await events.GetSandboxSettingsAsync(record.EventId, cancellationToken);
        var granted = await datasets.ListGrantedToTeamAsync(record.TeamId, GrantCalendar.Today(clock), cancellationToken);
        var memoryMb = settings.MemoryMb ?? Options.MemoryMb;
        return new SandboxPlan(
            await InstallationAsync(cancellationToken), record.EventSlug.Value, record.TeamSlug.Value, record.ContainerName,
            settings.Image ?? Options.Image, record.IdeToken, record.Generation,
            new SandboxLimits(memoryMb * 1024L * 1024, (double)(settings.Cpus ?? (decimal)Options.Cpus), settings.Pids ?? Options.PidsLimit, Options.TmpMb * 1024L * 1024),
            FoldersOf(record),
            settings.WorkspaceMb ?? Options.WorkspaceQuotaMb,
            granted.Select(dataset => new GrantedDataFile(dataset.Name, dataset.FilePath)).ToList(),
            Options.SandboxUid + TeamOffset(record.TeamId), Options.SandboxGid + TeamOffset(record.TeamId));
    }

    /// <summary>The team's folders on the host (its workspace, outbox and IDE socket), whether or not it ever ran.</summary>
    public SandboxFolders FoldersOf(SandboxRecord record) =>
        SandboxFolders.For(storageOptions.Value.ResolvedStateDirectory, record.EventSlug.Value, record.TeamSlug.Value);

    /// <summary>This installation's id: it names and labels every container the installation owns.</summary>
    public async Task<string> InstallationAsync(CancellationToken cancellationToken) =>
        _installation ??= await sandboxes.GetInstallationIdAsync(cancellationToken);

    /// <summary>
    /// Each team runs as its own uid and gid (the configured base + its team id), so a process that escaped one team's
    /// container still finds every other team's files owned by someone else.
    /// </summary>
    private static int TeamOffset(long teamId) =>
        teamId is >= 1 and <= MaxTeamIds ? (int)teamId : throw new SandboxException($"team id {teamId} is beyond the {MaxTeamIds} sandbox user ids this installation gives out.");
}
