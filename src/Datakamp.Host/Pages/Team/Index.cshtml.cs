using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Datasets;
using Datakamp.Host.Accounts;
using Datakamp.Host.Ide;
using Datakamp.Host.Sandboxes;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Team;

/// <summary>A team member's page: the sandbox's state, start and stop, the way into the IDE, and the granted data.</summary>
public sealed class IndexModel(EventRepository events, DatasetRepository datasets, AccountRepository accounts, SandboxRepository sandboxRecords, SandboxManager sandboxes, TimeProvider clock) : PageModel
{
    public string TeamName { get; private set; } = "";
    public SandboxStatus? Status { get; private set; }
    public DiskUse? Disk { get; private set; }
    public string IdePath { get; private set; } = "";

    /// <summary>Why the IDE cannot be used until staff act (its socket was replaced), or null.</summary>
    public string? IdeProblem { get; private set; }
    public IReadOnlyList<Dataset> Datasets { get; private set; } = [];
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is null ? Forbid() : Page();

    public Task<IActionResult> OnPostStartAsync(CancellationToken cancellationToken) =>
        ActAsync(team => sandboxes.StartAsync(team.TeamId, User.AuditActor(), cancellationToken), "Your sandbox is running.", cancellationToken);

    public Task<IActionResult> OnPostRestartAsync(CancellationToken cancellationToken) =>
        ActAsync(team => sandboxes.RestartAsync(team.TeamId, User.AuditActor(), cancellationToken), "Your sandbox restarted; your workspace is kept.", cancellationToken);

    public Task<IActionResult> OnPostStopAsync(CancellationToken cancellationToken) =>
        ActAsync(team => sandboxes.StopAsync(team.TeamId, User.AuditActor(), cancellationToken), "Your sandbox is stopped; your workspace is kept.", cancellationToken);

    private async Task<IActionResult> ActAsync(Func<AccountTeam, Task> action, string success, CancellationToken cancellationToken)
    {
        var team = await LoadAsync(cancellationToken);
        if (team is null) return Forbid();
        try
        {
            await action(team);
            Message = success;
        }
        catch (SandboxException e)
        {
            Message = e.Message;
            MessageIsError = true;
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task<AccountTeam?> LoadAsync(CancellationToken cancellationToken)
    {
        var account = User.AccountId() is { } id ? await accounts.FindAsync(id, cancellationToken) : null;
        if (account?.Team is not { } team || account.Disabled) return null;
        TeamName = (await events.FindTeamAsync(team.TeamId, cancellationToken))?.Name ?? team.TeamSlug.Value;
        IdePath = IdeRoutes.BasePathFor(team.EventSlug.Value, team.TeamSlug.Value) + "tree";
        IdeProblem = HttpContext.RequestServices.GetService<IdeProblems>()?.Find(team.EventSlug.Value, team.TeamSlug.Value)?.Message;
        Datasets = await datasets.ListGrantedToTeamAsync(team.TeamId, GrantCalendar.Today(clock), cancellationToken);
        var record = await sandboxRecords.FindAsync(team.TeamId, cancellationToken);
        Status = record is null ? null : await sandboxes.GetStatusAsync(record, cancellationToken);
        Disk = record is null ? null : await sandboxes.DiskUseAsync(record, cancellationToken);
        return team;
    }
}
