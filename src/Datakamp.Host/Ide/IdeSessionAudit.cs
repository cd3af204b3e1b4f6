using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Audit;
using Datakamp.Host.Accounts;

namespace Datakamp.Host.Ide;

/// <summary>
/// IDE sessions in the audit trail: a person's session in a team's IDE opens with their first request through the
/// proxy (<see cref="AuditActions.IdeSessionOpened"/>, with the datasets the sandbox holds at that moment) and closes
/// after <see cref="IdleClose"/> without a request, when the sandbox behind it stops or is replaced, or when the host
/// stops (<see cref="AuditActions.IdeSessionClosed"/>, with the reason). Requests in between are not recorded one by
/// one: the trail says who had the data in front of them, and from when to when.
/// A host that is killed leaves its open sessions without a close; the next open of that person starts a new one.
/// </summary>
public sealed class IdeSessionAudit(EventRepository events, DatasetRepository datasetRepository, AuditTrail audit, IIdeSessionDirectory sandboxes, TimeProvider time, ILogger<IdeSessionAudit> logger)
    : BackgroundService, IIdeSessionLog
{
    public static readonly TimeSpan IdleClose = TimeSpan.FromMinutes(15);

    private sealed class Open(long eventId, long teamId, string token, DateTimeOffset openedAt)
    {
        public long EventId { get; } = eventId;
        public long TeamId { get; } = teamId;
        public string Token { get; } = token;   // which container the session was with; never written anywhere
        public DateTimeOffset OpenedAt { get; } = openedAt;
        public DateTimeOffset LastSeen { get; set; } = openedAt;
    }

    private readonly ConcurrentDictionary<(string Actor, string Event, string Team), Open> _open = new();
    private readonly SemaphoreSlim _changes = new(1, 1);

    public async Task SeenAsync(ClaimsPrincipal user, IdeSession session, CancellationToken cancellationToken)
    {
        var key = (user.AuditActor(), session.EventSlug, session.TeamSlug);
        var now = time.GetUtcNow();
        if (_open.TryGetValue(key, out var open) && open.Token == session.Token)
        {
            open.LastSeen = now;
            return;
        }
        // One writer at a time: the first page of an IDE sends many requests at once, and only one may open the session.
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (_open.TryGetValue(key, out open) && open.Token == session.Token)
            {
                open.LastSeen = now;
                return;
            }
            if (open is not null) await CloseAsync(key, open, "the sandbox was replaced", CancellationToken.None);
            var (eventId, teamId, datasets) = await WhereAsync(session, cancellationToken);
            await AppendAsync(key.Item1, AuditActions.IdeSessionOpened, eventId, teamId, new { team = $"{session.EventSlug}/{session.TeamSlug}", datasets }, cancellationToken);
            _open[key] = new Open(eventId, teamId, session.Token, now);
        }
        finally
        {
            _changes.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await CloseEndedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var (key, open) in _open.ToArray()) await CloseAsync(key, open, "the host stopped", cancellationToken);
    }

    /// <summary>Closes the sessions without a request for <see cref="IdleClose"/> and those whose sandbox stopped or was replaced.</summary>
    internal async Task CloseEndedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (key, open) in _open.ToArray())
        {
            var running = sandboxes.Find(key.Event, key.Team);
            var reason = running is null ? "the sandbox stopped"
                : running.Token != open.Token ? "the sandbox was replaced"
                : now - open.LastSeen >= IdleClose ? $"no request for {IdleClose.TotalMinutes:0} minutes"
                : null;
            if (reason is null) continue;
            await _changes.WaitAsync(cancellationToken);
            try
            {
                if (_open.TryGetValue(key, out var current) && ReferenceEquals(current, open)) await CloseAsync(key, open, reason, cancellationToken);
            }
            finally
            {
                _changes.Release();
            }
        }
    }

    private async Task CloseAsync((string Actor, string Event, string Team) key, Open open, string reason, CancellationToken cancellationToken)
    {
        _open.TryRemove(key, out _);
        try
        {
            await AppendAsync(key.Actor, AuditActions.IdeSessionClosed, open.EventId, open.TeamId, new
            {
                team = $"{key.Event}/{key.Team}", opened_at = open.OpenedAt, last_request_at = open.LastSeen, reason,
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The trail then shows the session open without its close; the log says why.
            logger.LogError(e, "Could not record the end of an IDE session of {Team}", LogText.Excerpt($"{key.Event}/{key.Team}", 80));
        }
    }

    private async Task<(long EventId, long TeamId, IReadOnlyList<string> Datasets)> WhereAsync(IdeSession session, CancellationToken cancellationToken)
    {
        var found = await events.FindEventAsync(Slug.Parse(session.EventSlug, "event"), cancellationToken)
            ?? throw new InvalidOperationException($"the IDE session names event {session.EventSlug}, which does not exist");
        var team = (await events.ListTeamsAsync(found.Id, cancellationToken)).Single(t => t.Slug.Value == session.TeamSlug);
        var datasets = (await datasetRepository.ListGrantedToTeamAsync(team.Id, Domain.Datasets.GrantCalendar.Today(time), cancellationToken)).Select(d => d.Name).ToList();
        return (found.Id, team.Id, datasets);
    }

    private Task AppendAsync(string actor, string action, long eventId, long teamId, object details, CancellationToken cancellationToken) =>
        audit.RecordAsync(AuditEntries.ForIdeSession(actor, action, eventId, teamId, details), cancellationToken);
}
