using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Host.Accounts;
using Datakamp.Host.Releases;
using Datakamp.Releases;
using Microsoft.AspNetCore.Mvc;

namespace Datakamp.Host.Pages.Presentation;

/// <summary>Presentation mode for the last afternoon: one team per screen, in the order of the event's page, with next and previous.</summary>
public sealed class ShowModel(EventRepository events, AccountRepository accounts, EventPresentation presentation) : PresentationPage
{
    public PresentedTeam? Team { get; private set; }
    public IReadOnlyList<PresentedOutputView> Outputs { get; private set; } = [];
    public int Position { get; private set; }
    public int Count { get; private set; }

    public async Task<IActionResult> OnGetAsync(string eventSlug, int position, CancellationToken cancellationToken)
    {
        Event = await PresentationAudience.EventForAsync(User, accounts, events, eventSlug, cancellationToken);
        if (Event is null) return await NothingPublishedAsync();
        var teams = await presentation.TeamsAsync(Event.Id, cancellationToken);
        if (position < 1 || position > teams.Count) return await NothingPublishedAsync();
        (Team, Position, Count) = (teams[position - 1], position, teams.Count);
        // On the screen: what the team found. The table specs (technical, for the checks) stay on the team's page and in the bundle.
        Outputs = (await PresentedOutputView.ForTeamAsync(presentation, Event.Slug.Value, Team, User.AuditActor(), cancellationToken))
            .Where(o => !o.Output.Name.EndsWith(".spec.yaml", StringComparison.Ordinal)).ToList();
        return Page();
    }
}
