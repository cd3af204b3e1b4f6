using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Host.Accounts;
using Datakamp.Host.Releases;
using Datakamp.Releases;
using Microsoft.AspNetCore.Mvc;

namespace Datakamp.Host.Pages.Presentation;

/// <summary>One team's page of the presentation: its published tables drawn as tables, its figures and its descriptions.</summary>
public sealed class TeamModel(EventRepository events, AccountRepository accounts, EventPresentation presentation) : PresentationPage
{
    public PresentedTeam? Team { get; private set; }
    public IReadOnlyList<PresentedOutputView> Outputs { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string eventSlug, string teamSlug, CancellationToken cancellationToken)
    {
        Event = await PresentationAudience.EventForAsync(User, accounts, events, eventSlug, cancellationToken);
        if (Event is null) return await NothingPublishedAsync();
        Team = (await presentation.TeamsAsync(Event.Id, cancellationToken)).FirstOrDefault(t => t.TeamSlug == teamSlug);
        if (Team is null) return await NothingPublishedAsync();
        Outputs = await PresentedOutputView.ForTeamAsync(presentation, Event.Slug.Value, Team, User.AuditActor(), cancellationToken);
        return Page();
    }
}
