using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Events;
using Datakamp.Host.Accounts;
using Datakamp.Host.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Staff;

/// <summary>Events and their teams: create an event (dates, how many checkers review each request) and its teams.</summary>
public sealed class EventsModel(EventRepository events, AccountRepository accounts, StaffConsole console) : PageModel
{
    public sealed record EventTeams(Event Event, int Checkers, EventSandboxSettings Sandbox, IReadOnlyList<Domain.Events.Team> Teams);

    public IReadOnlyList<EventTeams> Events { get; private set; } = [];
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }
    /// <summary>Which form the message belongs to: "event" or the event id of a team form.</summary>
    public string? MessageFor { get; private set; }

    [BindProperty] public string Slug { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public DateOnly? StartsOn { get; set; }
    [BindProperty] public DateOnly? EndsOn { get; set; }
    [BindProperty] public int Checkers { get; set; } = 2;
    [BindProperty] public long EventId { get; set; }
    [BindProperty] public string? Image { get; set; }
    [BindProperty] public int? MemoryMb { get; set; }
    [BindProperty] public decimal? Cpus { get; set; }
    [BindProperty] public int? Pids { get; set; }
    [BindProperty] public int? WorkspaceMb { get; set; }

    public Task<IActionResult> OnPostSandboxAsync(CancellationToken cancellationToken) => ActAsync($"sandbox-{EventId}", async () =>
    {
        await console.SetSandboxSettingsAsync(EventId, Image, MemoryMb, Cpus, Pids, WorkspaceMb, User.AuditActor(), cancellationToken);
        return "The sandbox settings are saved. Running sandboxes get them at their next reconciliation (the workspace stays).";
    }, cancellationToken);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        await LoadAsync(cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostEventAsync(CancellationToken cancellationToken) => ActAsync("event", async () =>
    {
        var created = await console.CreateEventAsync(Slug, Name, StartsOn, EndsOn, Checkers, User.AuditActor(), cancellationToken);
        return $"Event '{created.Name}' ({created.Slug}) is created.";
    }, cancellationToken);

    public Task<IActionResult> OnPostTeamAsync(CancellationToken cancellationToken) => ActAsync(EventId.ToString(System.Globalization.CultureInfo.InvariantCulture), async () =>
    {
        var created = await console.CreateTeamAsync(EventId, Slug, Name, User.AuditActor(), cancellationToken);
        return $"Team '{created.Name}' ({created.Slug}) is created.";
    }, cancellationToken);

    private async Task<IActionResult> ActAsync(string form, Func<Task<string>> action, CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        MessageFor = form;
        try
        {
            Message = await action();
            (Slug, Name) = ("", "");   // a fresh form after a creation
        }
        catch (StaffInputException e)
        {
            (Message, MessageIsError) = ($"{e.Field}: {e.Message}", true);
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var list = new List<EventTeams>();
        foreach (var e in await events.ListEventsAsync(cancellationToken))
            list.Add(new EventTeams(e, await events.GetReleaseCheckersAsync(e.Id, cancellationToken), await events.GetSandboxSettingsAsync(e.Id, cancellationToken),
                await events.ListTeamsAsync(e.Id, cancellationToken)));
        Events = list;
    }
}
