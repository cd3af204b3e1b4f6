using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Host.Releases;
using Datakamp.Releases;
using Microsoft.AspNetCore.Mvc;

namespace Datakamp.Host.Pages.Presentation;

/// <summary>An event's presentation: the teams with approved, published outputs, the presentation mode and the bundle.</summary>
public sealed class IndexModel(EventRepository events, AccountRepository accounts, EventPresentation presentation) : PresentationPage
{
    public IReadOnlyList<PresentedTeam> Teams { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string eventSlug, CancellationToken cancellationToken)
    {
        Event = await PresentationAudience.EventForAsync(User, accounts, events, eventSlug, cancellationToken);
        if (Event is null) return await NothingPublishedAsync();
        Teams = await presentation.TeamsAsync(Event.Id, cancellationToken);
        return Page();
    }
}
