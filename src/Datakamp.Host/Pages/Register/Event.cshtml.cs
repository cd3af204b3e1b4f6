using Datakamp.Data;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Host.Startup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Register;

/// <summary>
/// The public data-use register of an event, readable signed out: which datasets were used (names and descriptions,
/// never microdata), by which teams and for what purpose, and which outputs were published. The question the people
/// in the data ask first. It names teams, never the people in them.
/// </summary>
public sealed class EventModel(EventRepository events, DatasetRepository datasets, ReleaseRepository releases) : PageModel
{
    public Event? Event { get; private set; }
    public IReadOnlyList<DatasetUse> Datasets { get; private set; } = [];
    public IReadOnlyList<PublishedOutputLine> Outputs { get; private set; } = [];

    public sealed record DatasetUse(Dataset Dataset, IReadOnlyList<(string Team, DatasetGrant Grant)> Grants);

    public sealed record PublishedOutputLine(string Team, string Purpose, string File, DateTimeOffset PublishedAt, string? Dataset);

    public async Task<IActionResult> OnGetAsync(string eventSlug, CancellationToken cancellationToken)
    {
        Event = Slug.TryParse(eventSlug, out var slug) ? await events.FindEventAsync(slug, cancellationToken) : null;
        if (Event is null)
        {
            await ErrorPages.WritePageAsync(HttpContext, StatusCodes.Status404NotFound, "Not found", "There is no event of that name.");
            return new EmptyResult();
        }
        var teams = (await events.ListTeamsAsync(Event.Id, cancellationToken)).ToDictionary(t => t.Id, t => t.Name);
        var uses = new List<DatasetUse>();
        foreach (var dataset in await datasets.ListAsync(Event.Id, cancellationToken))
        {
            var grants = await datasets.ListGrantsAsync(dataset.Id, cancellationToken);
            uses.Add(new DatasetUse(dataset, grants.Select(g => (teams.GetValueOrDefault(g.TeamId, "a team"), g)).OrderBy(g => g.Item1, StringComparer.OrdinalIgnoreCase).ToList()));
        }
        Datasets = uses;

        var names = uses.ToDictionary(u => u.Dataset.Id, u => u.Dataset.Name);
        Outputs = (await releases.ListPublishedAsync(Event.Id, cancellationToken))
            .SelectMany(r => r.Publication!.Outputs.Select(o => new PublishedOutputLine(r.TeamName, r.Request.Purpose, o.Name, r.Publication.PublishedAt,
                r.AllFiles.FirstOrDefault(f => f.Version == r.Publication.Version && f.Name == o.Name)?.DatasetId is { } id ? names.GetValueOrDefault(id) : null)))
            .ToList();
        return Page();
    }
}
