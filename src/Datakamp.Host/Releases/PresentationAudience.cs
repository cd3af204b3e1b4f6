using System.Security.Claims;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Events;
using Datakamp.Host.Accounts;

namespace Datakamp.Host.Releases;

/// <summary>
/// Who sees an event's presentation: the people of the event on the last afternoon, signed in: its team members, the
/// output checkers and staff. Anyone else, and an event that does not exist, get the same "not found".
/// </summary>
public static class PresentationAudience
{
    /// <summary>The event when the signed-in account may see its presentation; null otherwise.</summary>
    public static async Task<Event?> EventForAsync(ClaimsPrincipal user, AccountRepository accounts, EventRepository events, string eventSlug, CancellationToken cancellationToken)
    {
        if (!Slug.TryParse(eventSlug, out var slug)) return null;
        var account = await CurrentAccount.EnabledAsync(user, accounts, cancellationToken);
        if (account is null) return null;
        var found = await events.FindEventAsync(slug, cancellationToken);
        return found is not null && MaySee(account, found.Id) ? found : null;
    }

    /// <summary>The events whose presentation the signed-in account may see.</summary>
    public static async Task<IReadOnlyList<Event>> EventsForAsync(ClaimsPrincipal user, AccountRepository accounts, EventRepository events, CancellationToken cancellationToken)
    {
        var account = await CurrentAccount.EnabledAsync(user, accounts, cancellationToken);
        if (account is null) return [];
        return (await events.ListEventsAsync(cancellationToken)).Where(e => MaySee(account, e.Id)).ToList();
    }

    private static bool MaySee(Account account, long eventId) => account.IsStaff || account.IsChecker || account.Team?.EventId == eventId;
}
