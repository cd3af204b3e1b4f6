using Datakamp.Data;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Releases;
using Datakamp.Host.Accounts;
using Datakamp.Releases;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Team;

/// <summary>
/// One of the team's requests: its state and history, per file the automated result in words (which cells fail and
/// why, the suggested suppression), the checkers' decisions and comments once the review is decided, every earlier
/// version, and the team's actions: withdraw, and resubmit a new version after a return.
/// </summary>
public sealed class RequestModel(AccountRepository accounts, ReleaseRepository releases, ReleaseWorkflow workflow) : PageModel
{
    public ReleaseRecord? Record { get; private set; }
    public OutboxListing? Outbox { get; private set; }
    public IReadOnlyDictionary<string, string> Refusals { get; private set; } = new Dictionary<string, string>();
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }

    [BindProperty] public List<string> Files { get; set; } = [];

    public bool CanWithdraw => Record?.Request.State is ReleaseState.Submitted or ReleaseState.Returned;
    public bool CanResubmit => Record?.Request.State is ReleaseState.Returned;

    /// <summary>The checkers' votes on a version, once the team may see them: after the review of that version was decided.</summary>
    public IReadOnlyList<ReviewVote> VotesOf(int version) =>
        Record is null || (version == Record.Request.Version && Record.Request.State is not (ReleaseState.Approved or ReleaseState.Rejected or ReleaseState.Returned or ReleaseState.Published))
            ? []
            : Record.Request.AllVotes.Where(v => v.Version == version).OrderBy(v => v.At).ToList();

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var member = await CurrentAccount.MemberAsync(User, accounts, cancellationToken);
        if (member is null) return Forbid();
        return await LoadAsync(member, id, cancellationToken) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostWithdrawAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, async member =>
        {
            await workflow.WithdrawAsync(member, User.AuditActor(), id, cancellationToken);
            return "The request is withdrawn. It stays in your list with its history.";
        }, cancellationToken);

    public Task<IActionResult> OnPostResubmitAsync(long id, CancellationToken cancellationToken) =>
        ActAsync(id, async member =>
        {
            var outcome = await workflow.ResubmitAsync(member, User.AuditActor(), id, Files, cancellationToken);
            if (outcome.Succeeded) return "A new version is submitted; the automated check runs again.";
            Refusals = outcome.RefusalsByName;
            throw new ReleaseRefusedException("Nothing was resubmitted: the files marked below could not be taken.");
        }, cancellationToken);

    private async Task<IActionResult> ActAsync(long id, Func<Account, Task<string>> action, CancellationToken cancellationToken)
    {
        var member = await CurrentAccount.MemberAsync(User, accounts, cancellationToken);
        if (member is null) return Forbid();
        try
        {
            Message = await action(member);
        }
        catch (ReleaseRefusedException e)
        {
            (Message, MessageIsError) = (e.Message, true);
        }
        return await LoadAsync(member, id, cancellationToken) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Account member, long id, CancellationToken cancellationToken)
    {
        var record = await releases.FindAsync(id, cancellationToken);
        // Another team's request reads as no request at all.
        if (record is null || record.Request.TeamId != member.Team!.TeamId) return false;
        Record = record;
        if (CanResubmit) Outbox = await workflow.ListOutboxAsync(member, cancellationToken);
        return true;
    }
}
