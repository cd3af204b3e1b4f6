using System.Globalization;
using Datakamp.Data.Repositories;

namespace Datakamp.Host.Audit;

/// <summary>
/// How an audit page names the teams and datasets that events refer to by id: "demo / Team Noord", "demo / persons".
/// The same names fill the staff page's team and dataset choices. An id that is no longer known shows as "#id".
/// </summary>
public sealed class AuditNames
{
    private AuditNames(IReadOnlyDictionary<long, string> teams, IReadOnlyDictionary<long, string> datasets) =>
        (Teams, Datasets) = (teams, datasets);

    /// <summary>Every team of every event, by id, in the order of events and then names.</summary>
    public IReadOnlyDictionary<long, string> Teams { get; }

    /// <summary>Every dataset of every event, by id, in the order of events and then names.</summary>
    public IReadOnlyDictionary<long, string> Datasets { get; }

    public static async Task<AuditNames> LoadAsync(EventRepository events, DatasetRepository datasetRepository, CancellationToken cancellationToken)
    {
        var teams = new Dictionary<long, string>();
        var datasets = new Dictionary<long, string>();
        foreach (var dk in await events.ListEventsAsync(cancellationToken))
        {
            foreach (var team in (await events.ListTeamsAsync(dk.Id, cancellationToken)).OrderBy(t => t.Name, StringComparer.Ordinal))
                teams[team.Id] = $"{dk.Slug.Value} / {team.Name}";
            foreach (var dataset in await datasetRepository.ListAsync(dk.Id, cancellationToken))
                datasets[dataset.Id] = $"{dk.Slug.Value} / {dataset.Name}";
        }
        return new AuditNames(teams, datasets);
    }

    public string TeamOf(long? id) => NameOf(Teams, id);

    public string DatasetOf(long? id) => NameOf(Datasets, id);

    private static string NameOf(IReadOnlyDictionary<long, string> names, long? id) =>
        id is null ? "" : names.GetValueOrDefault(id.Value, "#" + id.Value.ToString(CultureInfo.InvariantCulture));
}
