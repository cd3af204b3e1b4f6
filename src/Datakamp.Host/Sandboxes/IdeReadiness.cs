using System.Net;
using Datakamp.Docker;
using Datakamp.Host.Ide;
using Datakamp.Host.Options;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Waits until a started sandbox's IDE answers through its socket, and when the container dies first, says why
/// (out of memory, with the plan's limit, or its exit code and last line of output).
/// </summary>
public sealed class IdeReadiness(ISandboxRuntime runtime, IdeSessionRegistry ideSessions, IdeConnections ideConnections, IOptions<SandboxOptions> sandboxOptions)
{
    /// <summary>
    /// Polls until Jupyter answers through the team's socket; fails with the reason when the container dies or time
    /// runs out. Cheap first: the HTTP request is only tried once the socket file exists, and the engine is asked about
    /// the container at most once a second (with 30 sandboxes starting at once, tighter polling costs the 2 cores more
    /// than it saves).
    /// </summary>
    public async Task WaitUntilAnswersAsync(SandboxPlan plan, CancellationToken cancellationToken)
    {
        var timeout = sandboxOptions.Value.ReadyTimeoutSeconds;
        var deadline = DateTime.UtcNow.AddSeconds(timeout);
        var nextInspect = DateTime.MinValue;
        while (true)
        {
            if (DateTime.UtcNow >= nextInspect)
            {
                var current = await runtime.FindAsync(plan.ContainerName, cancellationToken);
                if (current is null || !current.Running)
                    throw await DiedAsync(plan, current, cancellationToken);
                nextInspect = DateTime.UtcNow.AddSeconds(1);
            }
            var session = ideSessions.Find(plan.EventSlug, plan.TeamSlug);
            // Only a hint: the connection itself goes through SafeUnixSocket, which trusts nothing about the path.
            if (session is not null && new FileInfo(session.SocketPath).Exists && await AnswersAsync(session, cancellationToken)) return;
            if (DateTime.UtcNow > deadline)
                throw new SandboxException($"the IDE of {plan.EventSlug}/{plan.TeamSlug} did not answer within {timeout} s; staff can see the sandbox's log.");
            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<bool> AnswersAsync(IdeSession session, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await ideConnections.GetAsync(session, "api/status", TimeSpan.FromSeconds(5), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<SandboxException> DiedAsync(SandboxPlan plan, Workload? current, CancellationToken cancellationToken)
    {
        if (current is null) return new SandboxException($"the sandbox of {plan.EventSlug}/{plan.TeamSlug} disappeared while it was starting.");
        var why = current.OomKilled
            ? $"it ran out of memory (limit {plan.Limits.MemoryBytes / (1024 * 1024)} MB)"
            : $"it stopped with exit code {current.ExitCode}";
        var logs = await runtime.LogsTailAsync(plan.ContainerName, lines: 3, maxBytes: 2048, cancellationToken);
        var lastLine = (logs.StderrText + "\n" + logs.StdoutText).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return new SandboxException($"the sandbox of {plan.EventSlug}/{plan.TeamSlug} did not start: {why}{(lastLine is null ? "" : $"; last output: {lastLine}")}.");
    }
}
