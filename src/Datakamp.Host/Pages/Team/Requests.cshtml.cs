using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Data.Releases;
using Datakamp.Host.Accounts;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Team;

/// <summary>Our requests: every release request of the member's team, newest change first, with its state and the automated result.</summary>
public sealed class RequestsModel(AccountRepository accounts, ReleaseRepository releases) : PageModel
{
    public IReadOnlyList<ReleaseSummary> Requests { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var member = await CurrentAccount.MemberAsync(User, accounts, cancellationToken);
        if (member is null) return Forbid();
        Requests = await releases.ListAsync(member.Team!.TeamId, null, null, cancellationToken);
        return Page();
    }
}
