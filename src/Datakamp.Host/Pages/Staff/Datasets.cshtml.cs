using Datakamp.Data;
using Datakamp.Data.Repositories;
using Datakamp.Data.Transparency;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Host.Accounts;
using Datakamp.Host.Options;
using Datakamp.Host.Staff;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Staff;

/// <summary>
/// Every registered dataset, and for one dataset (<c>/staff/datasets/{id}</c>) who has or had access: the grants with
/// their purpose, the sandbox starts of the teams while they held it, the IDE sessions in which it was mounted, and the
/// published outputs computed from it. The answer to "who used my data, when, and why".
/// </summary>
public sealed class DatasetsModel(Database database, EventRepository events, DatasetRepository datasets, AccountRepository accounts, DataAccessConsole console, IOptions<StorageOptions> storage, TimeProvider clock) : PageModel
{
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }
    public IReadOnlyList<string> Policies { get; private set; } = [];
    public IReadOnlyList<Domain.Events.Team> EventTeams { get; private set; } = [];
    public DateOnly Today => GrantCalendar.Today(clock);

    [BindProperty] public long EventId { get; set; }
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string FilePath { get; set; } = "";
    [BindProperty] public string Unit { get; set; } = "";
    [BindProperty] public string Policy { get; set; } = "";
    [BindProperty] public string Description { get; set; } = "";
    [BindProperty] public long TeamId { get; set; }
    [BindProperty] public string Purpose { get; set; } = "";
    [BindProperty] public string? Until { get; set; }
    [BindProperty] public string Reason { get; set; } = "";

    public Task<IActionResult> OnPostRegisterAsync(CancellationToken cancellationToken) => ActAsync(null, async () =>
    {
        var dataset = await console.RegisterAsync(EventId, Name, FilePath, Unit, Policy, Description, User.AuditActor(), cancellationToken);
        return $"Dataset {dataset.Name} is registered: {dataset.Columns.Count} columns, unit {dataset.UnitColumn}, policy {dataset.Policy}, SHA-256 {dataset.Sha256}.";
    }, cancellationToken);

    public Task<IActionResult> OnPostGrantAsync(long id, CancellationToken cancellationToken) => ActAsync(id, async () =>
    {
        await console.GrantAsync(id, TeamId, Purpose, Until, User.AuditActor(), cancellationToken);
        return "The grant is recorded. A running sandbox of the team gets the data at its next reconciliation.";
    }, cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken cancellationToken) => ActAsync(id, async () =>
    {
        await console.RevokeAsync(id, TeamId, Reason, User.AuditActor(), cancellationToken);
        return "The grant is revoked. A running sandbox of the team loses the data at its next reconciliation; its workspace stays.";
    }, cancellationToken);

    private async Task<IActionResult> ActAsync(long? id, Func<Task<string>> action, CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        try
        {
            Message = await action();
        }
        catch (StaffInputException e)
        {
            (Message, MessageIsError) = ($"{e.Field}: {e.Message}", true);
        }
        return await LoadAsync(id, cancellationToken);
    }

    public sealed record EventDatasets(Event Event, IReadOnlyList<Dataset> Datasets);

    public IReadOnlyList<EventDatasets> Events { get; private set; } = [];
    public Dataset? Dataset { get; private set; }
    public IReadOnlyList<(string Team, DatasetGrant Grant)> Grants { get; private set; } = [];
    public DatasetAccess? Access { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        return await LoadAsync(id, cancellationToken);
    }

    private async Task<IActionResult> LoadAsync(long? id, CancellationToken cancellationToken)
    {
        var policies = Path.GetFullPath(storage.Value.PoliciesDirectory);
        Policies = Directory.Exists(policies) ? Directory.GetFiles(policies, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList() : [];
        var all = new List<EventDatasets>();
        foreach (var e in await events.ListEventsAsync(cancellationToken)) all.Add(new EventDatasets(e, await datasets.ListAsync(e.Id, cancellationToken)));
        Events = all;
        if (id is null) return Page();

        Dataset = all.SelectMany(e => e.Datasets).FirstOrDefault(d => d.Id == id);
        if (Dataset is null) return NotFound();
        EventTeams = await events.ListTeamsAsync(Dataset.EventId, cancellationToken);
        var teams = EventTeams.ToDictionary(t => t.Id, t => t.Name);
        Grants = (await datasets.ListGrantsAsync(Dataset.Id, cancellationToken)).Select(g => (teams.GetValueOrDefault(g.TeamId, $"team {g.TeamId}"), g)).ToList();
        Access = await new TransparencyQueries(database.DataSource).DatasetAccessAsync(Dataset.Id, cancellationToken);
        return Page();
    }
}
