using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Events;
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
        var countText = DatasetCommands.Required(options, "count");
        if (countText is not ("1" or "2")) throw new UsageException($"--count must be 1 or 2 (got '{countText}'): one checker, or two who review blind");
        var count = int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture);

        await using var services = await StaffServicesForCommand.OpenAsync(configuration);
        var dk = await FindEventAsync(options, services.Events);
        await services.Staff.SetCheckersAsync(dk.Id, count, actor, CancellationToken.None);
        Console.WriteLine(count == 1
            ? $"event {dk.Slug}: one output checker reviews each release request"
            : $"event {dk.Slug}: two output checkers review each release request, blind until both voted");
        return ExitCodes.Ok;
    }

    /// <summary>The event that <c>--event</c> names, or a usage error saying there is none.</summary>
    internal static async Task<Event> FindEventAsync(IReadOnlyDictionary<string, string> options, EventRepository events)
    {
        var eventSlug = Slug.Parse(DatasetCommands.Required(options, "event"), "--event");
        return await events.FindEventAsync(eventSlug, CancellationToken.None) ?? throw new UsageException($"there is no event '{eventSlug}'");
    }
}
