using Datakamp.Host.Ide;
using Datakamp.Data;
using System.Globalization;
using Datakamp.Data.Repositories;
using Datakamp.Docker;
using Datakamp.Host.Accounts;
using Datakamp.Host.Sandboxes;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Staff;

/// <summary>
/// Every team's sandbox: wanted and actual state, live resource use from the engine, use of the team's
/// disk against its quota, the last problem, and the controls.
/// </summary>
public sealed class SandboxesModel(EventRepository events, SandboxRepository sandboxRecords, SandboxManager sandboxes, ISandboxRuntime runtime) : PageModel
{
    public sealed record Row(long TeamId, string EventSlug, string TeamName, SandboxStatus? Status, string Memory, string Cpu, string Pids, string Disk, string? IdeProblem = null);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostStartAsync(long teamId, CancellationToken cancellationToken) =>
        ActAsync(() => sandboxes.StartAsync(teamId, User.AuditActor(), cancellationToken), "started", cancellationToken);

    public Task<IActionResult> OnPostStopAsync(long teamId, CancellationToken cancellationToken) =>
        ActAsync(() => sandboxes.StopAsync(teamId, User.AuditActor(), cancellationToken), "stopped", cancellationToken);

    public Task<IActionResult> OnPostRestartAsync(long teamId, CancellationToken cancellationToken) =>
        ActAsync(() => sandboxes.RestartAsync(teamId, User.AuditActor(), cancellationToken), "restarted", cancellationToken);

    public Task<IActionResult> OnPostResetAsync(long teamId, CancellationToken cancellationToken) =>
        ActAsync(() => sandboxes.ResetAsync(teamId, User.AuditActor(), cancellationToken), "reset", cancellationToken);

    private async Task<IActionResult> ActAsync(Func<Task<SandboxStatus>> action, string done, CancellationToken cancellationToken)
    {
        try
        {
            var status = await action();
            Message = $"{status.EventSlug}/{status.TeamSlug}: {done}.";
        }
        catch (SandboxException e)
        {
            Message = e.Message;
            MessageIsError = true;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var records = (await sandboxRecords.ListAsync(cancellationToken)).ToDictionary(r => r.TeamId);
        var rows = new List<Row>();
        foreach (var dk in await events.ListEventsAsync(cancellationToken))
        {
            foreach (var team in await events.ListTeamsAsync(dk.Id, cancellationToken))
            {
                SandboxStatus? status = null;
                string memory = "-", cpu = "-", pids = "-", disk = "-";
                if (records.TryGetValue(team.Id, out var record))
                {
                    status = await sandboxes.GetStatusAsync(record, cancellationToken);
                    // A stopped sandbox's disk stays mounted, so staff see its use until the machine reboots.
                    if (await sandboxes.DiskUseAsync(record, cancellationToken) is { } use) disk = use.IsFull ? $"{use} (full)" : use.ToString();
                    if (status.Running && status.ContainerId is { } id)
                    {
                        var usage = await runtime.UsageAsync(id, cancellationToken);
                        memory = $"{usage.MemoryUsageBytes / (1024 * 1024)} MB of {usage.MemoryLimitBytes / (1024 * 1024)} MB";
                        cpu = TimeSpan.FromTicks(usage.CpuUsageNanoseconds / 100).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
                        pids = usage.Pids.ToString(CultureInfo.InvariantCulture);
                    }
                }
                var ideProblem = IdeProblemsOrNull?.Find(dk.Slug.Value, team.Slug.Value) is { } problem ? $"{problem.Message} (seen {problem.At:HH:mm} UTC)" : null;
                rows.Add(new Row(team.Id, dk.Slug.Value, team.Name, status, memory, cpu, pids, disk, ideProblem));
            }
        }
        Rows = rows;
    }

    /// <summary>The host's record of unusable IDEs (absent when the page is built outside a request, as in some tests).</summary>
    private IdeProblems? IdeProblemsOrNull => PageContext?.HttpContext?.RequestServices.GetService<IdeProblems>();
}
