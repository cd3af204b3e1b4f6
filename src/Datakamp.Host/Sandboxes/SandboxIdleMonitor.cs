using Datakamp.Data;
using System.Collections.Concurrent;
using System.Text.Json;
using Datakamp.Data.Repositories;
using Datakamp.Docker;
using Datakamp.Domain.Sandboxes;
using Datakamp.Host.Ide;
using Datakamp.Host.Options;
using Datakamp.Host.Startup;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Stops sandboxes nobody uses, so an event's machine is not full of forgotten kernels. A sandbox is
/// active when any of these happened since the last look: a request through the IDE proxy (someone
/// has it open), a kernel that is busy or reports recent activity (a long computation with the
/// browser closed still counts), or CPU use above <see cref="SandboxOptions.ActiveCpuCores"/>.
/// Idle longer than <see cref="SandboxOptions.IdleStopSeconds"/>: stopped, workspace kept, audited.
/// </summary>
public sealed class SandboxIdleMonitor(
    SandboxManager manager, SandboxRepository sandboxes, ISandboxRuntime runtime, IdeSessionRegistry ideSessions, IdeConnections ideConnections,
    IdeActivity webActivity, TimeProvider time, IOptions<SandboxOptions> options, ILogger<SandboxIdleMonitor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Observation> _observations = new();

    private sealed record Observation(DateTimeOffset LastActive, long CpuNanoseconds, DateTimeOffset SampledAt);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IdleStopSeconds == 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(options.Value.IdleStopSeconds / 10, 5, 60)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Idle check failed: {Reason}", e.Message);
            }
        }
    }

    /// <summary>Looks at every running sandbox once; stops the idle ones and returns their team ids.</summary>
    public async Task<IReadOnlyList<long>> CheckOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var idleLimit = TimeSpan.FromSeconds(options.Value.IdleStopSeconds);
        var stopped = new List<long>();
        foreach (var sandbox in await sandboxes.ListAsync(cancellationToken))
        {
            if (sandbox.DesiredState != SandboxDesiredState.Running) { _observations.TryRemove(sandbox.TeamId, out _); continue; }
            var container = await runtime.FindAsync(sandbox.ContainerName, cancellationToken);
            if (container is not { Running: true }) continue;

            var usage = await runtime.UsageAsync(container.Id, cancellationToken);
            var previous = _observations.GetValueOrDefault(sandbox.TeamId);
            // The first look (also after a host restart) counts as activity: a grace period, never a surprise stop.
            var lastActive = previous?.LastActive ?? now;
            if (previous is not null)
            {
                var seconds = (now - previous.SampledAt).TotalSeconds;
                var cores = seconds > 0 ? (usage.CpuUsageNanoseconds - previous.CpuNanoseconds) / 1e9 / seconds : 0;
                if (cores > options.Value.ActiveCpuCores) lastActive = now;
            }
            if (webActivity.LastRequest(sandbox.EventSlug.Value, sandbox.TeamSlug.Value) is { } web && web > lastActive) lastActive = web;
            if (await KernelActivityAsync(sandbox, cancellationToken) is { } kernel && kernel > lastActive) lastActive = kernel > now ? now : kernel;
            _observations[sandbox.TeamId] = new Observation(lastActive, usage.CpuUsageNanoseconds, now);

            if (now - lastActive < idleLimit) continue;
            logger.LogInformation("Stopping idle sandbox {Event}/{Team}: no activity since {LastActive:u}", sandbox.EventSlug, sandbox.TeamSlug, lastActive);
            await manager.StopAsync(sandbox.TeamId, "system:idle-stop", cancellationToken);
            _observations.TryRemove(sandbox.TeamId, out _);
            stopped.Add(sandbox.TeamId);
        }
        return stopped;
    }

    /// <summary>The newest kernel activity Jupyter reports (now, if a kernel is busy); null when it cannot be asked.</summary>
    private async Task<DateTimeOffset?> KernelActivityAsync(SandboxRecord sandbox, CancellationToken cancellationToken)
    {
        var session = ideSessions.Find(sandbox.EventSlug.Value, sandbox.TeamSlug.Value);
        if (session is null) return null;
        try
        {
            using var response = await ideConnections.GetAsync(session, "api/kernels", TimeSpan.FromSeconds(15), cancellationToken);
            if (!response.IsSuccessStatusCode) return null;
            using var kernels = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            DateTimeOffset? newest = null;
            foreach (var kernel in kernels.RootElement.EnumerateArray())
            {
                if (kernel.TryGetProperty("execution_state", out var state) && state.GetString() == "busy") return time.GetUtcNow();
                if (kernel.TryGetProperty("last_activity", out var last) && DateTimeOffset.TryParse(last.GetString(), out var at) && (newest is null || at > newest))
                    newest = at;
            }
            return newest;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The team's own process answers here: anything it says that we cannot read is simply no signal.
            return null;
        }
    }
}
