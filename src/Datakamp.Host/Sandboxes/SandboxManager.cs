using Datakamp.Data;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Docker;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Sandboxes;
using Datakamp.Host.Ide;
using Datakamp.Host.Options;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Brings each team's sandbox to its desired state. Every operation asks the engine first and acts
/// only on the difference, so it is idempotent: the reconciler and a person may call it for the same
/// team at once (operations on one team are serialised). The desired state lives in PostgreSQL; the
/// actual state is only ever read from the runtime, which does the work on the engine's side; the manager
/// decides what a sandbox must look like (the plan), what the host prepares for it, and audits.
/// </summary>
public sealed class SandboxManager(
    ISandboxRuntime runtime,
    EventRepository events,
    SandboxRepository sandboxes,
    AuditTrail audit,
    SandboxPlanner planner,
    IdeReadiness ideReadiness,
    IdeSessionRegistry ideSessions,
    IOptions<SandboxOptions> sandboxOptions,
    IOptions<StorageOptions> storageOptions,
    ILogger<SandboxManager> logger)
{
    private readonly ConcurrentDictionary<long, SemaphoreSlim> _teamLocks = new();

    /// <summary>Who the audit trail names when the manager replaces a container on its own because the team's data access changed.</summary>
    public const string DataAccessActor = "system:data-access";

    private SandboxOptions Options => sandboxOptions.Value;

    /// <summary>Wants the team's sandbox running, starts it, and waits until its IDE answers.</summary>
    public async Task<SandboxStatus> StartAsync(long teamId, string actor, CancellationToken cancellationToken)
    {
        var record = await GetOrCreateRecordAsync(teamId, cancellationToken);
        await sandboxes.SetDesiredStateAsync(teamId, SandboxDesiredState.Running, cancellationToken);
        var plan = await planner.PlanAsync(record, cancellationToken);
        var status = await BringToDesiredStateAsync(record with { DesiredState = SandboxDesiredState.Running }, plan, cancellationToken);
        await ideReadiness.WaitUntilAnswersAsync(plan, cancellationToken);
        await AuditAsync(actor, AuditActions.SandboxStarted, record, new { image = plan.Image, container = status.ContainerId }, cancellationToken);
        return status;
    }

    /// <summary>Wants the team's sandbox stopped and stops it (the workspace stays).</summary>
    public async Task<SandboxStatus> StopAsync(long teamId, string actor, CancellationToken cancellationToken)
    {
        var record = await GetOrCreateRecordAsync(teamId, cancellationToken);
        await sandboxes.SetDesiredStateAsync(teamId, SandboxDesiredState.Stopped, cancellationToken);
        var status = await BringToDesiredStateAsync(record with { DesiredState = SandboxDesiredState.Stopped }, cancellationToken);
        await AuditAsync(actor, AuditActions.SandboxStopped, record, new { reason = "requested" }, cancellationToken);
        return status;
    }

    /// <summary>Stops and starts the same container (kernels and /tmp are lost, the workspace stays), and waits for the IDE.</summary>
    public async Task<SandboxStatus> RestartAsync(long teamId, string actor, CancellationToken cancellationToken)
    {
        var record = await GetOrCreateRecordAsync(teamId, cancellationToken);
        await EnsureStoppedAsync(record, cancellationToken);
        await AuditAsync(actor, AuditActions.SandboxStopped, record, new { reason = "restart" }, cancellationToken);
        return await StartAsync(teamId, actor, cancellationToken);
    }

    /// <summary>A new container (and IDE token) on the same workspace; it runs if the sandbox is wanted running.</summary>
    public async Task<SandboxStatus> ResetAsync(long teamId, string actor, CancellationToken cancellationToken)
    {
        var record = await GetOrCreateRecordAsync(teamId, cancellationToken);
        await WithTeamLockAsync(teamId, async () =>
        {
            ideSessions.Remove(record.EventSlug.Value, record.TeamSlug.Value);
            await runtime.RemoveAsync(record.ContainerName, cancellationToken);
            await sandboxes.BeginNewGenerationAsync(teamId, NewToken(), cancellationToken);
            return 0;
        });
        await AuditAsync(actor, AuditActions.SandboxStopped, record, new { reason = "reset" }, cancellationToken);
        var fresh = (await sandboxes.FindAsync(teamId, cancellationToken))!;
        if (fresh.DesiredState != SandboxDesiredState.Running)
            return await BringToDesiredStateAsync(fresh, plan: null, cancellationToken);
        var plan = await planner.PlanAsync(fresh, cancellationToken);
        var status = await BringToDesiredStateAsync(fresh, plan, cancellationToken);
        await ideReadiness.WaitUntilAnswersAsync(plan, cancellationToken);
        await AuditAsync(actor, AuditActions.SandboxStarted, fresh, new { reason = "reset", container = status.ContainerId }, cancellationToken);
        return status;
    }

    public async Task<SandboxStatus> GetStatusAsync(SandboxRecord record, CancellationToken cancellationToken) =>
        ToStatus(record, await runtime.FindAsync(record.ContainerName, cancellationToken));

    /// <summary>
    /// Makes the engine match the record: creates, recreates (when the plan changed, e.g. a new grant)
    /// or starts the container, or stops it. Used by the operations above and by the reconciler.
    /// </summary>
    public async Task<SandboxStatus> BringToDesiredStateAsync(SandboxRecord record, CancellationToken cancellationToken) =>
        await BringToDesiredStateAsync(record, record.DesiredState == SandboxDesiredState.Running ? await planner.PlanAsync(record, cancellationToken) : null, cancellationToken);

    /// <param name="record">The sandbox.</param>
    /// <param name="plan">What the container must look like when it is wanted running (null when it is wanted stopped).</param>
    /// <param name="cancellationToken">Cancels the engine calls.</param>
    private Task<SandboxStatus> BringToDesiredStateAsync(SandboxRecord record, SandboxPlan? plan, CancellationToken cancellationToken) =>
        WithTeamLockAsync(record.TeamId, async () =>
        {
            try
            {
                var status = record.DesiredState == SandboxDesiredState.Running
                    ? await EnsureRunningAsync(record, plan!, cancellationToken)
                    : await StopContainerAsync(record, cancellationToken);
                await sandboxes.RecordOutcomeAsync(record.TeamId, status.ContainerId, null, cancellationToken);
                return status with { LastError = null };
            }
            catch (Exception e) when (e is SandboxException or DockerApiException or DockerTimeoutException or DockerEngineUnavailableException)
            {
                var reason = e switch
                {
                    SandboxException => e.Message,
                    DockerEngineUnavailableException => $"the Docker engine is not answering ({e.Message}); staff can start it with 'bash scripts/setup'.",
                    DockerTimeoutException => $"the Docker engine did not answer in time ({e.Message}); try again in a minute.",
                    _ => $"the Docker engine refused: {e.Message}",
                };
                await sandboxes.RecordOutcomeAsync(record.TeamId, record.ContainerId, reason, CancellationToken.None);
                throw e as SandboxException ?? new SandboxException(reason, e);
            }
        });

    private async Task<SandboxStatus> EnsureRunningAsync(SandboxRecord record, SandboxPlan plan, CancellationToken cancellationToken)
    {
        var outcome = await runtime.EnsureRunningAsync(SandboxSpecBuilder.Build(plan), SandboxSpecBuilder.SpecLabel,
            (replaced, token) => BeforeCreateOrStartAsync(record, plan, replaced, token), cancellationToken);
        if (outcome.StartRefusal is { } refusal)
            logger.LogWarning("Sandbox {Event}/{Team}: the engine could not start its container ({Reason}); it was replaced with a new one on the same workspace",
                record.EventSlug, record.TeamSlug, refusal);
        ideSessions.Register(new IdeSession(record.EventSlug.Value, record.TeamSlug.Value, plan.Folders.JupyterSocket, (uint)plan.Uid, record.IdeToken));
        return ToStatus(record, outcome.Workload);
    }

    /// <summary>
    /// Runs only when the sandbox is missing, stopped or stale (never while a current one runs: its IDE socket stays):
    /// audits a replacement, refuses what cannot work (no image, a data file gone), and prepares the host's side.
    /// </summary>
    private async Task BeforeCreateOrStartAsync(SandboxRecord record, SandboxPlan plan, Workload? replaced, CancellationToken cancellationToken)
    {
        if (replaced is not null)
        {
            logger.LogInformation("Sandbox {Event}/{Team}: its plan changed (image, limits or grants); replaced the container, keeping the workspace", record.EventSlug, record.TeamSlug);
            ideSessions.Remove(record.EventSlug.Value, record.TeamSlug.Value);
            // Audited once the old container is gone: from here on the team no longer sees data it lost.
            if (DataMountChange.Between(replaced, plan) is { } dataChange)
                await AuditAsync(DataAccessActor, AuditActions.SandboxRestarted, record,
                    new { reason = "data access changed", removed = dataChange.Removed, added = dataChange.Added }, cancellationToken);
        }
        if (!await runtime.HasImageAsync(plan.Image, cancellationToken))
            throw new SandboxException($"the analysis image '{plan.Image}' is not on this machine's Docker engine; build it with 'bash scripts/setup', or choose another image for the event.");
        foreach (var file in plan.Data.Where(file => !File.Exists(file.HostPath)))
            throw new SandboxException($"dataset '{file.DatasetName}': its microdata file {file.HostPath} is missing on the host; restore it or revoke the grant.");
        await PrepareFoldersAsync(plan, cancellationToken);
    }

    /// <summary>
    /// Everything on the host a container needs before it is created or started: room on the state disk,
    /// the team's disk mounted (the engine binds what is at the path when the container starts, so an
    /// unmounted image would put the workspace on the host's disk), and its folders.
    /// </summary>
    private async Task PrepareFoldersAsync(SandboxPlan plan, CancellationToken cancellationToken)
    {
        StateDiskGuard.EnsureRoomToStart(storageOptions.Value.ResolvedStateDirectory, Options.MinFreeStateDiskMb);
        await TeamDisk.EnsureMountedAsync(plan.Folders, plan.WorkspaceQuotaMb, cancellationToken);
        plan.Folders.Prepare(plan.Uid, plan.Gid);
        plan.Folders.RemoveStaleSocket();
    }

    /// <summary>How full the team's disk is, or null while it is not mounted (never started since the machine booted).</summary>
    public Task<DiskUse?> DiskUseAsync(SandboxRecord record, CancellationToken cancellationToken) =>
        TeamDisk.UseAsync(planner.FoldersOf(record), cancellationToken);

    private Task<SandboxStatus> EnsureStoppedAsync(SandboxRecord record, CancellationToken cancellationToken) =>
        WithTeamLockAsync(record.TeamId, () => StopContainerAsync(record, cancellationToken));

    private async Task<SandboxStatus> StopContainerAsync(SandboxRecord record, CancellationToken cancellationToken)
    {
        ideSessions.Remove(record.EventSlug.Value, record.TeamSlug.Value);
        return ToStatus(record, await runtime.EnsureStoppedAsync(record.ContainerName, TimeSpan.FromSeconds(Options.StopGraceSeconds), cancellationToken));
    }

    private async Task<SandboxRecord> GetOrCreateRecordAsync(long teamId, CancellationToken cancellationToken)
    {
        var existing = await sandboxes.FindAsync(teamId, cancellationToken);
        if (existing is not null) return existing;
        var team = await events.FindTeamAsync(teamId, cancellationToken)
                   ?? throw new SandboxException($"there is no team with id {teamId}.");
        var eventSlug = (await events.FindEventByIdAsync(team.EventId, cancellationToken))!.Slug;
        var name = $"datakamp-{await planner.InstallationAsync(cancellationToken)}-{eventSlug}-{team.Slug}";
        return await sandboxes.GetOrCreateAsync(teamId, name, NewToken(), cancellationToken);
    }

    private async Task<T> WithTeamLockAsync<T>(long teamId, Func<Task<T>> action)
    {
        var gate = _teamLocks.GetOrAdd(teamId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try { return await action(); }
        finally { gate.Release(); }
    }

    private Task AuditAsync(string actor, string action, SandboxRecord record, object details, CancellationToken cancellationToken) =>
        audit.RecordAsync(AuditEntries.ForSandbox(actor, action, record, details), cancellationToken);

    private static SandboxStatus ToStatus(SandboxRecord record, Workload? current) => new(
        record.EventSlug.Value, record.TeamSlug.Value, record.DesiredState,
        current?.Status ?? SandboxStatus.Missing, current?.Running ?? false,
        current is { Running: false } ? current.ExitCode : null, current?.OomKilled ?? false, current?.Id, record.LastError);

    /// <summary>24 random bytes as 48 hex characters: the Jupyter token of one sandbox generation.</summary>
    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
