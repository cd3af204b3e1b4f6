using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Host.Accounts;
using Datakamp.Host.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Me;

/// <summary>
/// A person's own activity: the audit events they are the actor of, newest first. Any enabled account, whatever its
/// roles; the trail names them as their cookie does (<see cref="AccountClaims.AuditActor"/>).
/// </summary>
public sealed class ActivityModel(Database database, EventRepository events, DatasetRepository datasets, AccountRepository accounts) : PageModel
{
    /// <summary>How many events the page shows; a note says when there are more.</summary>
    public const int PageLimit = 500;

    public string Actor { get; private set; } = "";
    public AuditExcerpt Excerpt { get; private set; } = AuditExcerpt.None;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAccount.EnabledAsync(User, accounts, cancellationToken) is null) return Forbid();
        Actor = User.AuditActor();
        var names = await AuditNames.LoadAsync(events, datasets, cancellationToken);
        Excerpt = await AuditExcerpt.ReadAsync(database, new AuditQuery(Actor, Limit: PageLimit), names, cancellationToken);
        return Page();
    }
}
