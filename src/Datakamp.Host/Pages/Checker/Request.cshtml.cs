using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Disclosure.Verdicts;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Releases;
using Datakamp.Host.Accounts;
using Datakamp.Host.Releases;
using Datakamp.Host.Startup;
using Datakamp.Releases;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Checker;

/// <summary>
/// A checker's review of one request: per table the grid as the host recomputed it, flagged cells marked by colour and
/// a symbol with every rule's numbers, suppression and the attacker's interval; per file a decision with a required
/// comment. Blind: while the request is in review, the page holds this checker's own vote only. A checker who belongs
/// to the request's team is refused (403), on every route of this page. Figures are previewed as images (served by
/// the File handler, verified and locked down by <see cref="StoredFileResponse"/>), texts as escaped text, PDFs as a link.
/// </summary>
public sealed class RequestModel(AccountRepository accounts, ReleaseWorkflow workflow, VerifiedContentReader reader) : PageModel
{
    /// <summary>How much of a text the page shows: the automated check limits texts to 100,000 bytes, CSV without a spec is not.</summary>
    public const int MaxPreviewCharacters = 100_000;

    /// <summary>How a file is shown below its grid (a table with a verdict is drawn as a grid above).</summary>
    public enum PreviewKind { None, Image, RefusedSvg, Text, Pdf }

    /// <summary>A text file's first characters, or null text when the stored content no longer verifies.</summary>
    public sealed record TextPreview(string? Text, bool Cut);

    public ReleaseRecord? Record { get; private set; }
    public IReadOnlyList<ReviewVote> VisibleVotes { get; private set; } = [];
    public bool YouVoted { get; private set; }
    public IReadOnlyDictionary<string, TextPreview> Texts { get; private set; } = new Dictionary<string, TextPreview>();
    public long CheckerId { get; private set; }
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }

    [BindProperty] public Dictionary<string, string> Decision { get; set; } = [];
    [BindProperty] public Dictionary<string, string> Comment { get; set; } = [];

    public bool CanVote => !YouVoted && Record?.Request.State is ReleaseState.Checked or ReleaseState.InReview;

    public static FileVerdict? TableOf(ReleaseFile file) => StoredVerdict.TableOf(file);

    /// <summary>
    /// The grid to draw under a file: a table's own verdict; under a spec only when its table file is not in the request
    /// (a spec and its CSV carry the same verdict, and one grid per table is enough).
    /// </summary>
    public FileVerdict? GridOf(ReleaseFile file) =>
        TableOf(file) is { } table && (!file.Name.EndsWith(".spec.yaml", StringComparison.Ordinal) || Record!.CurrentFiles.All(f => f.Name != table.File))
            ? table
            : null;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var checker = await CurrentAccount.CheckerAsync(User, accounts, cancellationToken);
        if (checker is null) return Forbid();
        return await LoadAsync(checker, id, cancellationToken);
    }

    /// <summary>
    /// One file of the current version, for the previews: inline, except a PDF (downloaded, never shown in the host's
    /// page). An SVG is served only once the automated check found no script, handler or outside reference in it.
    /// </summary>
    public async Task<IActionResult> OnGetFileAsync(long id, string? name, CancellationToken cancellationToken)
    {
        var checker = await CurrentAccount.CheckerAsync(User, accounts, cancellationToken);
        if (checker is null) return Forbid();
        if (await FindAsync(checker, id, cancellationToken) is { } refusal) return refusal;
        var file = Record!.CurrentFiles.FirstOrDefault(f => f.Name == name);
        if (file is null) return NotFound();
        if (PreviewOf(file) == PreviewKind.RefusedSvg)
        {
            await ErrorPages.WritePageAsync(HttpContext, StatusCodes.Status404NotFound, "Not shown",
                $"{file.Name} is not shown: the automated check has not passed it as a figure without scripts, event handlers or outside references.");
            return new EmptyResult();
        }
        await StoredFileResponse.WriteAsync(HttpContext, file.Sha256, file.Name, file.MediaType,
            inline: file.MediaType != "application/pdf", AuditSubjectOf(Record), cancellationToken);
        return new EmptyResult();
    }

    /// <summary>How the page shows a file, by the media type intake recorded from its name.</summary>
    public static PreviewKind PreviewOf(ReleaseFile file) => file.MediaType switch
    {
        "image/png" => PreviewKind.Image,
        // Not checked yet is not served either: only the check looks inside an SVG before anyone's browser does.
        "image/svg+xml" => file.Check is null or AutomatedCheck.Fail ? PreviewKind.RefusedSvg : PreviewKind.Image,
        "application/pdf" => PreviewKind.Pdf,
        "text/plain" or "text/markdown" or "application/json" or "application/yaml" => PreviewKind.Text,
        "text/csv" => TableOf(file) is null ? PreviewKind.Text : PreviewKind.None,
        _ => PreviewKind.None,
    };

    public async Task<IActionResult> OnPostVoteAsync(long id, CancellationToken cancellationToken)
    {
        var checker = await CurrentAccount.CheckerAsync(User, accounts, cancellationToken);
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
        if (await FindAsync(checker, id, cancellationToken) is { } refusal) return refusal;
        CheckerId = checker.Id;
        VisibleVotes = Record!.Request.VotesVisibleTo(checker.Id).Where(v => v.Version == Record.Request.Version).ToList();
        YouVoted = VisibleVotes.Any(v => v.CheckerAccountId == checker.Id);
        Texts = await ReadTextsAsync(Record, cancellationToken);
        return Page();
    }

    /// <summary>Sets <see cref="Record"/>; or the refusal: 403 for a checker of the request's team, 404 for no such request.</summary>
    private async Task<IActionResult?> FindAsync(Account checker, long id, CancellationToken cancellationToken)
    {
        try
        {
            Record = await workflow.FindForCheckerAsync(checker, id, cancellationToken);
            return null;
        }
        catch (ReleaseRefusedException e) when (e.Message.Contains("member of this team", StringComparison.Ordinal))
        {
            return Forbid();
        }
        catch (ReleaseRefusedException)
        {
            return NotFound();
        }
    }

    /// <summary>The text files' previews, read verified: altered content is reported to staff and never shown.</summary>
    private async Task<Dictionary<string, TextPreview>> ReadTextsAsync(ReleaseRecord record, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<string, TextPreview>(StringComparer.Ordinal);
        foreach (var file in record.CurrentFiles.Where(f => PreviewOf(f) == PreviewKind.Text))
        {
            var bytes = await reader.ReadAsync(file.Sha256, file.Name, AuditSubjectOf(record), cancellationToken);
            if (bytes is null)
            {
                texts[file.Name] = new TextPreview(null, false);
                continue;
            }
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            var cut = text.Length > MaxPreviewCharacters;
            // Never cut between the two halves of a character outside the basic plane.
            var length = cut && char.IsHighSurrogate(text[MaxPreviewCharacters - 1]) ? MaxPreviewCharacters - 1 : MaxPreviewCharacters;
            texts[file.Name] = new TextPreview(cut ? text[..length] : text, cut);
        }
        return texts;
    }

    private VerifiedContentReader.Subject AuditSubjectOf(ReleaseRecord record) => new(record.EventId, record.Request.TeamId, record.Request.Id, User.AuditActor());
}
