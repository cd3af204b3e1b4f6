using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Domain.Events;
using Datakamp.Host.Releases;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Presentation;

/// <summary>The presentations the signed-in person may see; straight to it when there is one.</summary>
public sealed class EventsModel(EventRepository events, AccountRepository accounts) : PageModel
{
    public IReadOnlyList<Event> Events { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Events = await PresentationAudience.EventsForAsync(User, accounts, events, cancellationToken);
        return Events.Count == 1 ? Redirect($"/presentation/{Events[0].Slug.Value}") : Page();
    }
}
