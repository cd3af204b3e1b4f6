using Datakamp.Data;
using Datakamp.Disclosure.Verdicts;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Releases;
using Datakamp.Host.Accounts;
using Datakamp.Releases;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Checker;

/// <summary>
/// A checker's review of one request: per table the grid as the host recomputed it, flagged cells marked by colour and
/// a symbol with every rule's numbers, suppression and the attacker's interval; per file a decision with a required
/// comment. Blind: while the request is in review, the page holds this checker's own vote only. A checker who belongs
/// to the request's team is refused (403), on every route of this page.
/// </summary>
public sealed class RequestModel(Database database, ReleaseWorkflow workflow) : PageModel
{
    public ReleaseRecord? Record { get; private set; }
    public IReadOnlyList<ReviewVote> VisibleVotes { get; private set; } = [];
    public bool YouVoted { get; private set; }
    public long CheckerId { get; private set; }
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }

    [BindProperty] public Dictionary<string, string> Decision { get; set; } = [];
    [BindProperty] public Dictionary<string, string> Comment { get; set; } = [];

    public bool CanVote => !YouVoted && Record?.Request.State is ReleaseState.Checked or ReleaseState.InReview;

    public static FileVerdict? TableOf(ReleaseFile file) => StoredVerdict.TableOf(file);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var checker = await CurrentAccount.CheckerAsync(User, database, cancellationToken);
        if (checker is null) return Forbid();
        return await LoadAsync(checker, id, cancellationToken);
    }

    public async Task<IActionResult> OnPostVoteAsync(long id, CancellationToken cancellationToken)
    {
        var checker = await CurrentAccount.CheckerAsync(User, database, cancellationToken);
        if (checker is null) return Forbid();
        try
        {
            var record = await workflow.OpenForReviewAsync(checker, User.AuditActor(), id, cancellationToken);
            var decisions = record.CurrentFiles.ToDictionary(f => f.Name, f => new FileReview(
                ParseDecision(Decision.GetValueOrDefault(f.Name), f.Name), Comment.GetValueOrDefault(f.Name) ?? ""), StringComparer.Ordinal);
            var after = await workflow.VoteAsync(checker, User.AuditActor(), id, decisions, cancellationToken);
            Message = after.Request.State == ReleaseState.InReview
                ? "Your decisions are recorded. The request is decided when the other checker has voted too."
                : $"Your decisions are recorded; the request is {Datakamp.Host.Releases.ReleaseWords.Outcome(after.Request.State)}.";
        }
        catch (ReleaseRefusedException e)
        {
            (Message, MessageIsError) = (e.Message, true);
        }
        return await LoadAsync(checker, id, cancellationToken);
    }

    private static FileDecision ParseDecision(string? value, string file) => value switch
    {
        "approve" => FileDecision.Approve,
        "approve_with_suppression" => FileDecision.ApproveWithSuppression,
        "return" => FileDecision.Return,
        "reject" => FileDecision.Reject,
        _ => throw new ReleaseRefusedException($"Choose approve, approve with suppression, return or reject for {file}."),
    };

    private async Task<IActionResult> LoadAsync(Account checker, long id, CancellationToken cancellationToken)
    {
        try
        {
            Record = await workflow.FindForCheckerAsync(checker, id, cancellationToken);
        }
        catch (ReleaseRefusedException e) when (e.Message.Contains("member of this team", StringComparison.Ordinal))
        {
            return Forbid();
        }
        catch (ReleaseRefusedException)
        {
            return NotFound();
        }
        CheckerId = checker.Id;
        VisibleVotes = Record.Request.VotesVisibleTo(checker.Id).Where(v => v.Version == Record.Request.Version).ToList();
        YouVoted = VisibleVotes.Any(v => v.CheckerAccountId == checker.Id);
        return Page();
    }
}
