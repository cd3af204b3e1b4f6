using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Events;
using Datakamp.Host.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages;

/// <summary>
/// The confidentiality declaration of the member's event: its version in force, to read and accept. Until they accept,
/// the team pages send them here and the sandbox start and the IDE refuse them (<see cref="DeclarationGate"/>).
/// </summary>
[Authorize(Policy = AccountsSetup.MemberPolicy)]
public sealed class DeclarationModel(AccountRepository accounts, DeclarationRepository declarations, TimeProvider clock) : PageModel
{
    /// <summary>The version in force, or null when the event has none (then nothing is held back).</summary>
    public Declaration? Current { get; private set; }
    public DeclarationAcceptance? Acceptance { get; private set; }
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public bool Accept { get; set; }
    [BindProperty] public int Version { get; set; }
    [BindProperty] public string Sha256 { get; set; } = "";

    /// <summary>The text's paragraphs (separated by blank lines), shown as plain text.</summary>
    public IEnumerable<string> Paragraphs => (Current?.Text ?? "").Replace("\r\n", "\n")
        .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is null ? Forbid() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var account = await LoadAsync(cancellationToken);
        if (account?.Team is not { } team) return Forbid();
        if (Current is null) return LocalRedirect("/team");
        // What the person read must be what is in force: a version published while the page was open is read first.
        if (Version != Current.Version || Sha256 != Current.Sha256)
        {
            Error = "The declaration was changed since you opened this page. Read the text below and accept it again.";
            return Page();
        }
        if (!Accept)
        {
            Error = "Tick the box to accept the declaration; without it you cannot use your team's sandbox or IDE.";
            return Page();
        }
        await declarations.AcceptAsync(account.Id, team.TeamId, Current, User.AuditActor(), clock.GetUtcNow(), cancellationToken);
        // Only a path on this site: a crafted link must not send the person elsewhere.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/team");
    }

    private async Task<Account?> LoadAsync(CancellationToken cancellationToken)
    {
        var account = await CurrentAccount.MemberAsync(User, accounts, cancellationToken);
        if (account?.Team is not { } team) return null;
        Current = await declarations.CurrentAsync(team.EventId, cancellationToken);
        Acceptance = Current is null ? null : await declarations.FindAcceptanceAsync(account.Id, team.EventId, Current.Version, cancellationToken);
        return account;
    }
}
