using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Host.Accounts;
using Datakamp.Host.Releases;
using Datakamp.Releases;
using Microsoft.AspNetCore.Mvc;

namespace Datakamp.Host.Pages.Presentation;

/// <summary>
/// A zip of the event's (or one team's) publications in force with manifest.json (file, SHA-256, approvers, times, policy,
/// verdict id). Every file is verified before the zip is made: a bundle with a file that no longer matches its hash is
/// not served at all. Each download is audited.
/// </summary>
public sealed class BundleModel(EventRepository events, AccountRepository accounts, EventPresentation presentation) : PresentationPage
{
    public async Task<IActionResult> OnGetAsync(string eventSlug, string? teamSlug, CancellationToken cancellationToken)
    {
        Event = await PresentationAudience.EventForAsync(User, accounts, events, eventSlug, cancellationToken);
        if (Event is null) return await NothingPublishedAsync();
        var teams = (await presentation.TeamsAsync(Event.Id, cancellationToken)).Where(t => teamSlug is null || t.TeamSlug == teamSlug).ToList();
        if (teams.Count == 0) return await NothingPublishedAsync();
        byte[] zip;
        try
        {
            (_, zip) = await presentation.MakeBundleAsync(Event.Slug.Value, Event.Id, teams, teamSlug, User.AuditActor(), cancellationToken);
        }
        catch (PublishedContentMismatchException e)
        {
            await StoredFileResponse.WriteNotServedAsync(HttpContext, $"The bundle was not made: {e.Message}");
            return new EmptyResult();
        }
        var fileName = teamSlug is null ? $"datakamp-{Event.Slug.Value}.zip" : $"datakamp-{Event.Slug.Value}-{teamSlug}.zip";
        await StoredFileResponse.WriteVerifiedAsync(HttpContext, zip, fileName, "application/zip", inline: false, cancellationToken);
        return new EmptyResult();
    }
}
