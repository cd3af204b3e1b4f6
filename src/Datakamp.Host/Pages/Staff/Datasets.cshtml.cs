using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Data.Transparency;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Host.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Staff;

/// <summary>
/// Every registered dataset, and for one dataset (<c>/staff/datasets/{id}</c>) who has or had access: the grants with
/// their purpose, the sandbox starts of the teams while they held it, the IDE sessions in which it was mounted, and the
/// published outputs computed from it. The answer to "who used my data, when, and why".
/// </summary>
public sealed class DatasetsModel(Database database) : PageModel
{
    public sealed record EventDatasets(Event Event, IReadOnlyList<Dataset> Datasets);

    public IReadOnlyList<EventDatasets> Events { get; private set; } = [];
    public Dataset? Dataset { get; private set; }
    public IReadOnlyList<(string Team, DatasetGrant Grant)> Grants { get; private set; } = [];
    public DatasetAccess? Access { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, database, cancellationToken) is null) return Forbid();
        var events = new EventRepository(database.DataSource);
        var datasets = new DatasetRepository(database.DataSource);
        var all = new List<EventDatasets>();
        foreach (var e in await events.ListEventsAsync(cancellationToken)) all.Add(new EventDatasets(e, await datasets.ListAsync(e.Id, cancellationToken)));
        Events = all;
        if (id is null) return Page();

        Dataset = all.SelectMany(e => e.Datasets).FirstOrDefault(d => d.Id == id);
        if (Dataset is null) return NotFound();
        var teams = (await events.ListTeamsAsync(Dataset.EventId, cancellationToken)).ToDictionary(t => t.Id, t => t.Name);
        Grants = (await datasets.ListGrantsAsync(Dataset.Id, cancellationToken)).Select(g => (teams.GetValueOrDefault(g.TeamId, $"team {g.TeamId}"), g)).ToList();
        Access = await new TransparencyQueries(database.DataSource).DatasetAccessAsync(Dataset.Id, cancellationToken);
        return Page();
    }
}
