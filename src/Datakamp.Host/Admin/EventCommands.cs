using System.Text.Json;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Audit;
using Datakamp.Host.Cli;

namespace Datakamp.Host.Admin;

/// <summary>
/// <c>admin set-checkers --event E --count 1|2</c>: how many independent output checkers review each release request of
/// the event. With two, each checker's vote stays hidden from the other until both voted, and the stricter decision
/// holds. Applies to requests submitted from now on; a request keeps the number it was submitted with.
/// </summary>
internal static class EventCommands
{
    public static async Task<int> SetCheckersAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var eventSlug = Slug.Parse(DatasetCommands.Required(options, "event"), "--event");
        var countText = DatasetCommands.Required(options, "count");
        if (countText is not ("1" or "2")) throw new UsageException($"--count must be 1 or 2 (got '{countText}'): one checker, or two who review blind");
        var count = int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture);

        await using var database = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        var events = new EventRepository(database.DataSource);
        var dk = await events.FindEventAsync(eventSlug, CancellationToken.None) ?? throw new UsageException($"there is no event '{eventSlug}'");
        await events.SetReleaseCheckersAsync(dk.Id, count, CancellationToken.None);
        await new AuditLog(database.DataSource).AppendAsync(new AuditEntry(actor, AuditActions.EventCheckersSet, "event", eventSlug.Value, dk.Id,
            DetailsJson: JsonSerializer.Serialize(new Dictionary<string, int> { ["checkers"] = count })), CancellationToken.None);
        Console.WriteLine(count == 1
            ? $"event {eventSlug}: one output checker reviews each release request"
            : $"event {eventSlug}: two output checkers review each release request, blind until both voted");
        return ExitCodes.Ok;
    }
}
