using Datakamp.Domain.Events;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Presentation;

/// <summary>What the presentation's pages share: the event they show and the "nothing published here" answer.</summary>
public abstract class PresentationPage : PageModel
{
    public Event? Event { get; protected set; }

    /// <summary>
    /// The one answer for an unknown event or team, a file that is not published, and a publication that was revoked:
    /// a 404 page that says so in words (the same for all, so nothing is learned about what is not shown).
    /// </summary>
    protected async Task<IActionResult> NothingPublishedAsync()
    {
        await ErrorPages.WritePageAsync(HttpContext, StatusCodes.Status404NotFound, "Not on the presentation",
            "There is no publication in force here: it was never published, or staff have revoked it.");
        return new EmptyResult();
    }
}
