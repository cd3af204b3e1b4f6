using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Data.Releases;
using Datakamp.Domain.Releases;
using Datakamp.Host.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Checker;

/// <summary>
/// The checkers' queue: requests waiting for review (checked, or in review), oldest first, with their age, state, the
/// automated result and whether this checker has voted. Requests of the checker's own team are not listed; the other
/// checker's vote is never shown here.
/// </summary>
public sealed class IndexModel(AccountRepository accounts, ReleaseRepository releases, TimeProvider clock) : PageModel
{
    public sealed record QueueLine(ReleaseSummary Request, bool YouVoted, TimeSpan Age);

    public IReadOnlyList<QueueLine> Queue { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var checker = await CurrentAccount.CheckerAsync(User, accounts, cancellationToken);
        if (checker is null) return Forbid();
        var now = clock.GetUtcNow();
        var lines = new List<QueueLine>();
        foreach (var summary in await releases.ListAsync(null, null, [ReleaseState.Checked, ReleaseState.InReview], cancellationToken))
        {
            if (checker.Team?.TeamId == summary.TeamId) continue;
            var record = await releases.FindAsync(summary.Id, cancellationToken);
            var voted = record!.Request.AllVotes.Any(v => v.Version == summary.Version && v.CheckerAccountId == checker.Id);
            lines.Add(new QueueLine(summary, voted, now - summary.UpdatedAt));
        }
        Queue = lines.OrderBy(l => l.YouVoted).ThenByDescending(l => l.Age).ToList();
        return Page();
    }

    /// <summary>"5 min", "2 h 10 min", "1 d 3 h": how long a request has waited.</summary>
    public static string AgeText(TimeSpan age) =>
        age.TotalMinutes < 60 ? $"{Math.Max(0, (int)age.TotalMinutes)} min"
        : age.TotalHours < 24 ? $"{(int)age.TotalHours} h {age.Minutes} min"
        : $"{(int)age.TotalDays} d {age.Hours} h";
}
