using Datakamp.Data.Repositories;
using Datakamp.Data;
using Datakamp.Host.Accounts;
using Datakamp.Host.Releases;
using Datakamp.Releases;
using Microsoft.AspNetCore.Mvc;

namespace Datakamp.Host.Pages.Presentation;

/// <summary>
/// One published file's bytes, verified against its SHA-256 before the first byte goes out (a file that does not verify is
/// never served: the answer is a page saying so, and staff are told). Shown inline (figures) or, with ?download=1,
/// as a download, which is audited.
/// </summary>
public sealed class FileModel(EventRepository events, AccountRepository accounts, EventPresentation presentation) : PresentationPage
{
    public async Task<IActionResult> OnGetAsync(string eventSlug, string teamSlug, long requestId, string name, string? download, CancellationToken cancellationToken)
    {
        Event = await PresentationAudience.EventForAsync(User, accounts, events, eventSlug, cancellationToken);
        if (Event is null) return await NothingPublishedAsync();
        var asDownload = download is not null;   // ?download=1 (any value)
        if (await presentation.FindOutputAsync(Event.Id, teamSlug, requestId, name, cancellationToken) is not var (request, output)) return await NothingPublishedAsync();
        byte[] bytes;
        try
        {
            bytes = await presentation.ReadVerifiedAsync(request, output, User.AuditActor(), cancellationToken);
        }
        catch (PublishedContentMismatchException e)
        {
            await StoredFileResponse.WriteNotServedAsync(HttpContext, e.Message);
            return new EmptyResult();
        }
        if (asDownload) await presentation.RecordDownloadAsync(request, output, User.AuditActor(), cancellationToken);
        await StoredFileResponse.WriteVerifiedAsync(HttpContext, bytes, output.Name, output.MediaType, inline: !asDownload && output.MediaType != "application/pdf", cancellationToken);
        return new EmptyResult();
    }
}
