using System.Globalization;
using System.Text.Json;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Events;
using Datakamp.Domain.Releases;
using Datakamp.Host.Accounts;
using Datakamp.Releases;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Datakamp.Host.Pages.Staff;

/// <summary>
/// Every event's publications, in force and revoked (a revocation stays in the history with who, when and why), a
/// revoke form for each one in force, and the integrity alerts: stored outputs whose bytes no longer match their SHA-256.
/// Only enabled staff: the folder's policy checks the role in the cookie, this page the account as stored now.
/// </summary>
public sealed class PublicationsModel(Database database, EventRepository events, AccountRepository accounts, ReleaseRepository releases, ReleaseWorkflow workflow) : PageModel
{
    /// <summary>The audit actions that mean stored content did not verify: someone must look at the store.</summary>
    public static readonly IReadOnlyList<string> AlertActions = [AuditActions.ReleasePublishFailed, AuditActions.ReleaseContentMismatch];

    /// <summary>How many alerts the page lists; the audit trail holds them all.</summary>
    public const int AlertLimit = 200;

    public sealed record EventPublications(Event Event, IReadOnlyList<ReleaseRecord> Publications);

    public sealed record IntegrityAlert(DateTimeOffset At, string What, string RequestId, string Team, string? File, string? Sha256, string Details);

    public IReadOnlyList<EventPublications> Events { get; private set; } = [];
    public IReadOnlyList<IntegrityAlert> Alerts { get; private set; } = [];

    /// <summary>The request whose revoke form shows <see cref="Message"/> (and keeps the reason typed).</summary>
    public long? MessageFor { get; private set; }
    public string? Message { get; private set; }
    public bool MessageIsError { get; private set; }
    public string Reason { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await CurrentAccount.StaffAsync(User, accounts, cancellationToken) is null) return Forbid();
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long requestId, string? reason, CancellationToken cancellationToken)
    {
        var staff = await CurrentAccount.StaffAsync(User, accounts, cancellationToken);
        if (staff is null) return Forbid();
        (MessageFor, Reason) = (requestId, reason ?? "");
        try
        {
            // The workflow refuses an empty reason and a publication no longer in force, with a message for the person.
            await workflow.RevokeAsync(staff, User.AuditActor(), requestId, Reason, cancellationToken);
            (Message, Reason) = ($"The publication of request #{requestId} is revoked: it is off the presentation.", "");
        }
        catch (ReleaseRefusedException e)
        {
            (Message, MessageIsError) = (e.Message, true);
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var publications = await releases.ListPublicationsAsync(null, cancellationToken);
        var teamNames = new Dictionary<long, string>();
        var list = new List<EventPublications>();
        foreach (var dk in await events.ListEventsAsync(cancellationToken))
        {
            foreach (var team in await events.ListTeamsAsync(dk.Id, cancellationToken)) teamNames[team.Id] = team.Name;
            list.Add(new EventPublications(dk, publications.Where(p => p.EventId == dk.Id).ToList()));
        }
        Events = list;
        var alerts = await new AuditLog(database.DataSource).ListByActionsAsync(AlertActions.ToList(), AlertLimit, cancellationToken);
        Alerts = alerts.Select(a => ToAlert(a, teamNames)).ToList();
    }

    private static IntegrityAlert ToAlert(AuditRecord record, Dictionary<long, string> teamNames)
    {
        var entry = record.Entry;
        var what = entry.Action == AuditActions.ReleasePublishFailed ? "not published: content does not match its SHA-256" : "not served: content does not match its SHA-256";
        var team = entry.TeamId is { } id ? teamNames.GetValueOrDefault(id, id.ToString(CultureInfo.InvariantCulture)) : "-";
        // Details are a JSON object (the audit log refuses anything else); file and sha256 are what staff look for in the store.
        using var details = JsonDocument.Parse(entry.DetailsJson);
        return new IntegrityAlert(record.At, what, entry.SubjectId, team, TextOf(details, "file"), TextOf(details, "sha256"), entry.DetailsJson);
    }

    private static string? TextOf(JsonDocument details, string property) =>
        details.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
