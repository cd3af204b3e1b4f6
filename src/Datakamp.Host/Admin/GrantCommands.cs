using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Host.Cli;

namespace Datakamp.Host.Admin;

/// <summary>
/// Staff verbs for access to microdata:
/// <c>admin grant --event E --dataset N --team T --purpose TEXT [--until YYYY-MM-DD]</c> and
/// <c>admin revoke-grant --event E --dataset N --team T --reason TEXT</c>. A grant says why a team may use the data
/// and until when: the question people whose data it is ask first. Both call the staff console's service (the same checks and audit as the web). Neither verb deletes anything: a revocation is
/// kept beside its grant, and granting again later is a new grant.
/// </summary>
internal static class GrantCommands
{
    public static async Task<int> GrantAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var purpose = DatasetCommands.Required(options, "purpose");
        await using var services = await StaffServicesForCommand.OpenAsync(configuration);
        var (dk, team, dataset) = await ResolveAsync(options, services);
        var grant = await services.DataAccess.GrantAsync(dataset.Id, team.Id, purpose, options.GetValueOrDefault("until"), actor, CancellationToken.None);
        Console.WriteLine($"granted dataset {dataset.Name} to team {dk.Slug}/{team.Slug}{(grant.EndsOn is { } last ? $" until {last:yyyy-MM-dd}" : "")}; "
            + "a running sandbox gets it at its next reconciliation (its container is replaced, the workspace stays)");
        return ExitCodes.Ok;
    }

    public static async Task<int> RevokeAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var reason = DatasetCommands.Required(options, "reason");
        await using var services = await StaffServicesForCommand.OpenAsync(configuration);
        var (dk, team, dataset) = await ResolveAsync(options, services);
        await services.DataAccess.RevokeAsync(dataset.Id, team.Id, reason, actor, CancellationToken.None);
        Console.WriteLine($"revoked the grant of dataset {dataset.Name} to team {dk.Slug}/{team.Slug}; "
            + "a running sandbox loses it at its next reconciliation (its container is replaced, the workspace stays)");
        return ExitCodes.Ok;
    }

    /// <summary>The event, and its team and dataset that the options name; a team or dataset of another event is named as such.</summary>
    private static async Task<(Event Event, Team Team, Dataset Dataset)> ResolveAsync(IReadOnlyDictionary<string, string> options, StaffServicesForCommand services)
    {
        var dk = await EventCommands.FindEventAsync(options, services.Events);
        var teamSlug = Slug.Parse(DatasetCommands.Required(options, "team"), "--team");
        var datasetName = DatasetCommands.Required(options, "dataset");

        var events = services.Events;
        var team = (await events.ListTeamsAsync(dk.Id, CancellationToken.None)).FirstOrDefault(t => t.Slug == teamSlug)
                   ?? throw NotInEvent("team", teamSlug.Value, dk.Slug, await events.ListEventsWithTeamAsync(teamSlug, CancellationToken.None));
        var datasets = services.Datasets;
        var dataset = (await datasets.ListAsync(dk.Id, CancellationToken.None)).FirstOrDefault(d => d.Name == datasetName)
                      ?? throw NotInEvent("dataset", datasetName, dk.Slug, await datasets.ListEventsWithDatasetAsync(datasetName, CancellationToken.None));
        return (dk, team, dataset);
    }

    /// <summary>What staff are told when the event has no team or dataset of that name: where one of that name is, if anywhere.</summary>
    private static UsageException NotInEvent(string what, string name, Slug eventSlug, IReadOnlyList<string> elsewhere) => new(elsewhere.Count == 0
        ? $"event '{eventSlug}' has no {what} '{name}'"
        : $"{what} '{name}' is of event '{string.Join("', '", elsewhere)}', not of '{eventSlug}': a team is only granted data of its own event");
}
