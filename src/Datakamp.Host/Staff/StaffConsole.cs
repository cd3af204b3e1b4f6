using System.Text.Json;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Events;
using Datakamp.Host.Accounts;
using Npgsql;

namespace Datakamp.Host.Staff;

/// <summary>
/// What staff create on the web: events, teams and accounts. Every input is checked before anything is written, so a
/// refusal (<see cref="StaffInputException"/>, naming the field) leaves nothing half-created; each creation is audited.
/// </summary>
public sealed class StaffConsole(EventRepository events, AccountRepository accounts, AuditTrail audit, SetPasswordLinks setPasswordLinks)
{
    public async Task<Event> CreateEventAsync(string slugText, string name, DateOnly? startsOn, DateOnly? endsOn, int checkers, string actor, CancellationToken cancellationToken)
    {
        var slug = SlugOf(slugText, "slug");
        name = Required(name, "name", 200);
        if (startsOn is null) throw new StaffInputException("startsOn", "Give the first day of the event.");
        if (endsOn is null) throw new StaffInputException("endsOn", "Give the last day of the event.");
        if (endsOn < startsOn) throw new StaffInputException("endsOn", "The last day is before the first day.");
        if (checkers is not (1 or 2)) throw new StaffInputException("checkers", "One or two output checkers review each request.");
        if (await events.FindEventAsync(slug, cancellationToken) is not null) throw new StaffInputException("slug", $"There is an event '{slug}' already.");
        Event created;
        try
        {
            created = await events.CreateEventAsync(slug, name, startsOn.Value, endsOn.Value, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new StaffInputException("slug", $"There is an event '{slug}' already.");
        }
        await events.SetReleaseCheckersAsync(created.Id, checkers, cancellationToken);
        await audit.RecordAsync(AuditEntries.ForEvent(actor, AuditActions.EventCreated, created, new { name, starts_on = startsOn, ends_on = endsOn, checkers }), cancellationToken);
        return created;
    }

    /// <summary>A team of an event; its short name and its name are each unique within the event (case does not make a name new).</summary>
    public async Task<Team> CreateTeamAsync(long eventId, string slugText, string name, string actor, CancellationToken cancellationToken)
    {
        var slug = SlugOf(slugText, "slug");
        name = Required(name, "name", 200);
        var teams = await events.ListTeamsAsync(eventId, cancellationToken);
        if (teams.Any(t => t.Slug == slug)) throw new StaffInputException("slug", $"This event has a team '{slug}' already.");
        if (teams.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))) throw new StaffInputException("name", $"This event has a team named '{name}' already.");
        Team created;
        try
        {
            created = await events.CreateTeamAsync(eventId, slug, name, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new StaffInputException("slug", $"This event has a team '{slug}' already.");
        }
        await audit.RecordAsync(AuditEntries.ForTeam(actor, AuditActions.TeamCreated, created, new { name }), cancellationToken);
        return created;
    }

    /// <summary>An account and its one-time set-password link (shown once: only its hash is kept).</summary>
    public async Task<(Account Account, string Link)> CreateAccountAsync(string username, string name, bool staff, bool checker, long? teamId, string actor,
        CancellationToken cancellationToken)
    {
        username = (username ?? "").Trim();
        if (!System.Text.RegularExpressions.Regex.IsMatch(username, "^[a-z0-9][a-z0-9._-]{1,39}$"))
            throw new StaffInputException("username", "Use 2-40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.");
        name = Required(name, "name", 200);
        if (!staff && !checker && teamId is null) throw new StaffInputException("role", "An account needs a role: staff, output checker and/or member of a team.");
        if (teamId is { } id && await events.FindTeamAsync(id, cancellationToken) is null)
            throw new StaffInputException("team", "That team does not exist.");
        if (await accounts.FindForSignInAsync(username, cancellationToken) is not null) throw new StaffInputException("username", $"There is an account '{username}' already.");
        Account account;
        try
        {
            account = await accounts.CreateAsync(username, name, staff, checker, teamId, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new StaffInputException("username", $"There is an account '{username}' already.");
        }
        await audit.RecordAsync(AuditEntries.ForAccount(actor, AuditActions.AccountCreated, account,
            new { staff, checker, team = account.Team is { } t ? $"{t.EventSlug}/{t.TeamSlug}" : null }), cancellationToken);
        var link = await setPasswordLinks.CreateAsync(account, actor, cancellationToken);
        return (account, link);
    }

    /// <summary>The analysis images a sandbox may run: the ones this repository builds (scripts/setup), never a name typed in.</summary>
    public static readonly IReadOnlyList<string> AnalysisImages = ["datakamp/python:bookworm", "datakamp/r:bookworm"];

    /// <summary>
    /// An event's sandbox image and limits (empty: the host's default). Running sandboxes get them at their next
    /// reconciliation, which replaces the container on the same workspace.
    /// </summary>
    public async Task<EventSandboxSettings> SetSandboxSettingsAsync(long eventId, string? image, int? memoryMb, decimal? cpus, int? pids, int? workspaceMb, string actor,
        CancellationToken cancellationToken)
    {
        var found = await events.FindEventByIdAsync(eventId, cancellationToken) ?? throw new StaffInputException("event", "That event does not exist.");
        image = string.IsNullOrWhiteSpace(image) ? null : image.Trim();
        if (image is not null && !AnalysisImages.Contains(image)) throw new StaffInputException("image", $"Choose one of the analysis images: {string.Join(", ", AnalysisImages)}.");
        if (memoryMb is < 256 or > 262144) throw new StaffInputException("memoryMb", "Memory is 256 to 262,144 MB.");
        if (cpus is <= 0 or > 256) throw new StaffInputException("cpus", "CPUs are more than 0 and at most 256.");
        if (pids is < 64 or > 65536) throw new StaffInputException("pids", "The process limit is 64 to 65,536.");
        if (workspaceMb is < 64 or > 4194304) throw new StaffInputException("workspaceMb", "The team disk is 64 MB to 4 TB.");
        var settings = new EventSandboxSettings(image, memoryMb, cpus, pids, workspaceMb);
        await events.SetSandboxSettingsAsync(found.Id, settings, cancellationToken);
        await audit.RecordAsync(AuditEntries.ForEvent(actor, AuditActions.EventSandboxSettingsSet, found,
            new { image, memory_mb = memoryMb, cpus, pids, workspace_mb = workspaceMb }), cancellationToken);
        return settings;
    }

    /// <summary>
    /// How many output checkers review each release request of the event: one, or two who review blind (each vote hidden
    /// from the other until both voted; the stricter decision holds). Requests keep the number they were submitted with.
    /// </summary>
    public async Task<Event> SetCheckersAsync(long eventId, int checkers, string actor, CancellationToken cancellationToken)
    {
        if (checkers is not (1 or 2)) throw new StaffInputException("checkers", "One or two output checkers review each request.");
        var found = await events.FindEventByIdAsync(eventId, cancellationToken) ?? throw new StaffInputException("event", "That event does not exist.");
        await events.SetReleaseCheckersAsync(found.Id, checkers, cancellationToken);
        await audit.RecordAsync(AuditEntries.ForEvent(actor, AuditActions.EventCheckersSet, found, new { checkers }), cancellationToken);
        return found;
    }

    private static Slug SlugOf(string text, string field) =>
        Slug.TryParse((text ?? "").Trim(), out var slug) ? slug
        : throw new StaffInputException(field, "Use 1-40 lower-case letters, digits or '-', starting with a letter or digit (it appears in addresses).");

    private static string Required(string? text, string field, int max)
    {
        var value = (text ?? "").Trim();
        if (value.Length == 0) throw new StaffInputException(field, "This is required.");
        if (value.Length > max) throw new StaffInputException(field, $"At most {max} characters.");
        return value;
    }
}
