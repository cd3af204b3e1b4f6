using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Host.Accounts;
using Datakamp.Releases;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Team;

/// <summary>
/// Submit outputs: the files in the team's /outbox (read as intake reads it), each with the helper's description and
/// spec; the member selects files, writes the purpose and submits. The form carries a one-time submission key made when
/// the page was shown, so a double click, a retried post or a reload after posting is one request.
/// </summary>
public sealed class SubmitModel(AccountRepository accounts, ReleaseWorkflow workflow) : PageModel
{
    public OutboxListing Outbox { get; private set; } = OutboxListing.Unavailable("");

    /// <summary>Refusals of the last post, by file name, shown next to the file.</summary>
    public IReadOnlyDictionary<string, string> Refusals { get; private set; } = new Dictionary<string, string>();

    public string? Message { get; private set; }

    [BindProperty] public string Purpose { get; set; } = "";
    [BindProperty] public List<string> Files { get; set; } = [];
    [BindProperty] public Guid SubmissionKey { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var member = await CurrentAccount.MemberAsync(User, accounts, cancellationToken);
        if (member is null) return Forbid();
        SubmissionKey = Guid.NewGuid();
        Outbox = await workflow.ListOutboxAsync(member, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var member = await CurrentAccount.MemberAsync(User, accounts, cancellationToken);
        if (member is null) return Forbid();
        if (SubmissionKey == Guid.Empty) SubmissionKey = Guid.NewGuid();
        try
        {
            var outcome = await workflow.SubmitAsync(member, User.AuditActor(), Purpose ?? "", Files, SubmissionKey, cancellationToken);
            if (outcome.RequestId is { } id) return Redirect($"/team/requests/{id}");
            Refusals = outcome.RefusalsByName;
            Message = "Nothing was submitted: the files marked below could not be taken. Fix them in /outbox (or unselect them) and submit again.";
            // A submission that took nothing may be tried again with the same key: no request was made with it.
        }
        catch (ReleaseRefusedException e)
        {
            Message = e.Message;
        }
        Outbox = await workflow.ListOutboxAsync(member, cancellationToken);
        return Page();
    }
}
