using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Host.Accounts;
using Datakamp.Host.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Staff;

/// <summary>
/// Create an account: staff, output checker and/or member of one team. The answer shows the one-time set-password link
/// once; the host keeps only its hash, so the link cannot be shown again (a new one can be issued with a new account
/// link from the command line).
/// </summary>
public sealed class AccountsModel(EventRepository events, AccountRepository accounts, StaffConsole console) : PageModel
{
    public IReadOnlyList<(long Id, string Label)> Teams { get; private set; } = [];
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }
    /// <summary>The link to hand to the new account's person: on this answer only.</summary>
    public string? Link { get; private set; }

    [BindProperty] public string Username { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public bool IsStaff { get; set; }
    [BindProperty] public bool IsChecker { get; set; }
    [BindProperty] public long? TeamId { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        try
        {
            var (account, link) = await console.CreateAccountAsync(Username, Name, IsStaff, IsChecker, TeamId, User.AuditActor(), cancellationToken);
            Message = $"Account {account.Username} is created. Give this one-time link to {account.DisplayName}; it works once, for 72 hours, and is not shown again:";
            Link = $"{Request.Scheme}://{Request.Host}{link}";
            (Username, Name, IsStaff, IsChecker, TeamId) = ("", "", false, false, null);
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
        var teams = new List<(long, string)>();
        foreach (var e in await events.ListEventsAsync(cancellationToken))
            foreach (var t in await events.ListTeamsAsync(e.Id, cancellationToken)) teams.Add((t.Id, $"{e.Name}: {t.Name}"));
        Teams = teams;
    }
}
