using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Docker;
using Datakamp.Host.Options;
using Datakamp.Host.Startup;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Closes the gap between desired state (PostgreSQL) and actual state (the engine): at start-up and
/// then periodically. After the host or the Docker engine restarts, every sandbox that should run runs
/// again; containers of this installation that no sandbox row knows are removed. One failing sandbox
/// is logged and recorded, and the others go on.
/// </summary>
public sealed class SandboxReconciler(
    SandboxManager manager, SandboxPlanner planner, SandboxRepository sandboxRecords, ISandboxRuntime runtime, IOptions<SandboxOptions> options, ILogger<SandboxReconciler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReconcileIntervalSeconds));
        do
        {
            try
            {
                await ReconcileOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Never let one bad pass end the loop: the next tick tries again.
                logger.LogWarning("Sandbox reconciliation pass failed: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over all sandboxes; returns how many could not be brought to their desired state.</summary>
    public async Task<int> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var sandboxes = await sandboxRecords.ListAsync(cancellationToken);
        var failures = 0;
        foreach (var sandbox in sandboxes)
        {
            try
            {
                await manager.BringToDesiredStateAsync(sandbox, cancellationToken);
            }
            catch (SandboxException e)
            {
                failures++;
                logger.LogWarning("Sandbox {Event}/{Team} is not {Desired}: {Reason}", sandbox.EventSlug, sandbox.TeamSlug, sandbox.DesiredState, e.Message);
            }
        }

        var installation = await planner.InstallationAsync(cancellationToken);
        var known = sandboxes.Select(sandbox => sandbox.ContainerName).ToHashSet();
        foreach (var workload in await runtime.ListAsync([$"{SandboxSpecBuilder.InstallationLabel}={installation}"], cancellationToken))
        {
            if (known.Contains(workload.Name)) continue;
            logger.LogWarning("Removing orphaned sandbox container {Name} ({Id})", workload.Name, workload.Id[..12]);
            await runtime.RemoveAsync(workload.Id, cancellationToken);
        }
        return failures;
    }
}
