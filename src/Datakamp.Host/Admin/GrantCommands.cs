using System.Globalization;
using System.Text.Json;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Events;
using Datakamp.Host.Cli;
using Npgsql;

namespace Datakamp.Host.Admin;

/// <summary>
/// Staff verbs for access to microdata:
/// <c>admin grant --event E --dataset N --team T --purpose TEXT [--until YYYY-MM-DD]</c> and
/// <c>admin revoke-grant --event E --dataset N --team T --reason TEXT</c>. A grant says why a team may use the data
/// and until when: the question people whose data it is ask first. Neither verb deletes anything: a revocation is
/// kept beside its grant, and granting again later is a new grant.
/// </summary>
internal static class GrantCommands
{
    public static async Task<int> GrantAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var purpose = DatasetCommands.Required(options, "purpose");
        if (purpose.Length > 1000) throw new UsageException("--purpose must be at most 1000 characters");
        var today = GrantCalendar.Today(TimeProvider.System);
        DateOnly? until = null;
        if (options.TryGetValue("until", out var untilText))
        {
            if (!DateOnly.TryParseExact(untilText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                throw new UsageException($"--until '{untilText}' must be a date as YYYY-MM-DD (the grant's last day)");
            if (day < today)
                throw new UsageException($"--until {day:yyyy-MM-dd} is in the past (today is {today:yyyy-MM-dd}): give the grant's last day to come, or no --until");
            until = day;
        }

        await using var database = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        var (dk, team, dataset) = await ResolveAsync(options, database.DataSource);
        var stored = await new DatasetRepository(database.DataSource).GrantAsync(
            new DatasetGrant(dataset.Id, team.Id, purpose, actor, DateTimeOffset.UtcNow, until), today, CancellationToken.None);
        if (stored is null)
            return DatakampCommandLine.Fail($"team '{team.Slug}' has dataset '{dataset.Name}' already", ExitCodes.DataError);

        await new AuditLog(database.DataSource).AppendAsync(new AuditEntry(actor, AuditActions.DatasetGranted, "dataset", dataset.Name, dk.Id, team.Id, dataset.Id,
            JsonSerializer.Serialize(new Dictionary<string, object?> { ["grant"] = stored.Id, ["purpose"] = purpose, ["until"] = until?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })),
            CancellationToken.None);
        Console.WriteLine($"granted dataset {dataset.Name} to team {dk.Slug}/{team.Slug}{(until is null ? "" : $" until {until:yyyy-MM-dd}")}; a running sandbox gets it at its next reconciliation (its container is replaced, the workspace stays)");
        return ExitCodes.Ok;
    }

    public static async Task<int> RevokeAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var reason = DatasetCommands.Required(options, "reason");
        if (reason.Length > 1000) throw new UsageException("--reason must be at most 1000 characters");

        await using var database = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        var (dk, team, dataset) = await ResolveAsync(options, database.DataSource);
        var revoked = await new DatasetRepository(database.DataSource).RevokeAsync(dataset.Id, team.Id,
            new GrantRevocation(DateTimeOffset.UtcNow, actor, reason), GrantCalendar.Today(TimeProvider.System), CancellationToken.None);
        if (revoked is null)
            return DatakampCommandLine.Fail($"team '{team.Slug}' has no grant of dataset '{dataset.Name}' in force: nothing to revoke", ExitCodes.DataError);

        await new AuditLog(database.DataSource).AppendAsync(new AuditEntry(actor, AuditActions.DatasetGrantRevoked, "dataset", dataset.Name, dk.Id, team.Id, dataset.Id,
            JsonSerializer.Serialize(new Dictionary<string, object?> { ["grant"] = revoked.Id, ["reason"] = reason, ["purpose"] = revoked.Purpose })),
            CancellationToken.None);
        Console.WriteLine($"revoked the grant of dataset {dataset.Name} to team {dk.Slug}/{team.Slug}; a running sandbox loses it at its next reconciliation (its container is replaced, the workspace stays)");
        return ExitCodes.Ok;
    }

    /// <summary>The event, and its team and dataset that the options name; a team or dataset of another event is named as such.</summary>
    private static async Task<(Event Event, Team Team, Dataset Dataset)> ResolveAsync(IReadOnlyDictionary<string, string> options, NpgsqlDataSource dataSource)
    {
        var eventSlug = Slug.Parse(DatasetCommands.Required(options, "event"), "--event");
        var teamSlug = Slug.Parse(DatasetCommands.Required(options, "team"), "--team");
        var datasetName = DatasetCommands.Required(options, "dataset");

        var events = new EventRepository(dataSource);
        var dk = await events.FindEventAsync(eventSlug, CancellationToken.None) ?? throw new UsageException($"there is no event '{eventSlug}'");
        var team = (await events.ListTeamsAsync(dk.Id, CancellationToken.None)).FirstOrDefault(t => t.Slug == teamSlug)
                   ?? throw NotInEvent("team", teamSlug.Value, eventSlug, await events.ListEventsWithTeamAsync(teamSlug, CancellationToken.None));
        var datasets = new DatasetRepository(dataSource);
        var dataset = (await datasets.ListAsync(dk.Id, CancellationToken.None)).FirstOrDefault(d => d.Name == datasetName)
                      ?? throw NotInEvent("dataset", datasetName, eventSlug, await datasets.ListEventsWithDatasetAsync(datasetName, CancellationToken.None));
        return (dk, team, dataset);
    }

    /// <summary>What staff are told when the event has no team or dataset of that name: where one of that name is, if anywhere.</summary>
    private static UsageException NotInEvent(string what, string name, Slug eventSlug, IReadOnlyList<string> elsewhere) => new(elsewhere.Count == 0
        ? $"event '{eventSlug}' has no {what} '{name}'"
        : $"{what} '{name}' is of event '{string.Join("', '", elsewhere)}', not of '{eventSlug}': a team is only granted data of its own event");
}
