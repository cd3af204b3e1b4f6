using Datakamp.Data;
using Microsoft.Extensions.Logging;
using Datakamp.Data.Audit;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;

namespace Datakamp.Releases;

/// <summary>
/// The actions people take on release requests: a team submits, resubmits or withdraws; a checker opens and votes;
/// the host publishes what was approved; staff revoke a publication. Who may do what is checked here, on the
/// account as stored (never on what a form says), and the state machine (<see cref="ReleaseRequest"/>) decides which
/// moves are legal. Anything refused throws <see cref="ReleaseRefusedException"/> with a message for the person.
/// </summary>
public sealed class ReleaseWorkflow(ReleaseRepository releases, SandboxRepository sandboxes, OutboxIntake intake, ContentStore store, CheckSignal checks, IntakeLimits limits,
    AuditTrail audit, TimeProvider clock, ILogger<ReleaseWorkflow> logger)
{
    /// <summary>
    /// Takes the selected files from the team's /outbox into the content store and records a request. The container is
    /// the one the host made for the member's team (never a name from the form). Idempotent on <paramref name="submissionKey"/>.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(Account member, string actor, string purpose, IReadOnlyCollection<string> names, Guid submissionKey, CancellationToken cancellationToken)
    {
        var team = RequireMember(member);
        if (string.IsNullOrWhiteSpace(purpose)) throw new ReleaseRefusedException("Say what the outputs are for (purpose).");
        if (names.Count == 0) throw new ReleaseRefusedException("Select at least one file from your outbox.");
        var snapshot = await TakeSnapshotAsync(team.TeamId, names, cancellationToken);
        if (snapshot.Refused.Count > 0) return new SubmitOutcome(null, false, snapshot.Refused);

        var release = new NewRelease(team.TeamId, member.Id, actor, purpose, submissionKey, FilesOf(snapshot));
        var (id, created) = await Guard(() => releases.SubmitAsync(release, clock.GetUtcNow(),
            newId => Audit(actor, AuditActions.ReleaseSubmitted, newId, team, new { version = 1, files = FileDetails(snapshot), purpose = purpose.Trim() }), cancellationToken));
        if (created) checks.Wake();
        return new SubmitOutcome(id, created, []);
    }

    /// <summary>A new version of a returned request, with files taken afresh from the outbox.</summary>
    public async Task<SubmitOutcome> ResubmitAsync(Account member, string actor, long requestId, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var team = RequireMember(member);
        await RequireOwnTeamAsync(team, requestId, cancellationToken);
        if (names.Count == 0) throw new ReleaseRefusedException("Select at least one file from your outbox.");
        var snapshot = await TakeSnapshotAsync(team.TeamId, names, cancellationToken);
        if (snapshot.Refused.Count > 0) return new SubmitOutcome(requestId, false, snapshot.Refused);

        var at = clock.GetUtcNow();
        await Guard(() => releases.ChangeAsync(requestId, actor, at, record =>
        {
            record.Request.Resubmit(snapshot.Accepted.Select(a => a.Name).ToList(), at);
            return new ReleaseChange([Audit(actor, AuditActions.ReleaseResubmitted, requestId, team, new { version = record.Request.Version, files = FileDetails(snapshot) })])
            {
                NewVersionFiles = FilesOf(snapshot),
            };
        }, cancellationToken));
        checks.Wake();
        return new SubmitOutcome(requestId, true, []);
    }

    public async Task WithdrawAsync(Account member, string actor, long requestId, CancellationToken cancellationToken)
    {
        var team = RequireMember(member);
        await RequireOwnTeamAsync(team, requestId, cancellationToken);
        var at = clock.GetUtcNow();
        await Guard(() => releases.ChangeAsync(requestId, actor, at, record =>
        {
            record.Request.Withdraw(at);
            return new ReleaseChange([Audit(actor, AuditActions.ReleaseWithdrawn, requestId, team, new { version = record.Request.Version })]);
        }, cancellationToken));
    }

    /// <summary>A checker opens a checked request: it moves to in review (a request already in review stays so).</summary>
    public async Task<ReleaseRecord> OpenForReviewAsync(Account checker, string actor, long requestId, CancellationToken cancellationToken)
    {
        var record = await FindForCheckerAsync(checker, requestId, cancellationToken);
        if (record.Request.State != ReleaseState.Checked) return record;
        var at = clock.GetUtcNow();
        return await Guard(() => releases.ChangeAsync(requestId, actor, at, current =>
        {
            // Two checkers opening it at once: the second finds it in review already and changes nothing.
            if (current.Request.State != ReleaseState.Checked) return new ReleaseChange([]);
            current.Request.StartReview(at);
            return new ReleaseChange([Audit(actor, AuditActions.ReleaseReviewStarted, requestId, current, new { version = current.Request.Version })]);
        }, cancellationToken));
    }

    /// <summary>
    /// A checker's decision and comment on every file of the current version. When it is the last vote needed, the
    /// outcome is recorded and, if any file was approved, those files are published.
    /// </summary>
    public async Task<ReleaseRecord> VoteAsync(Account checker, string actor, long requestId, IReadOnlyDictionary<string, FileReview> decisions, CancellationToken cancellationToken)
    {
        var current = await FindForCheckerAsync(checker, requestId, cancellationToken);
        RequireReleasableWithSuppression(current, decisions);
        var at = clock.GetUtcNow();
        var after = await Guard(() => releases.ChangeAsync(requestId, actor, at, record =>
        {
            var request = record.Request;
            request.Vote(checker.Id, TeamsOf(checker), decisions, at);
            var entries = new List<AuditEntry>
            {
                Audit(actor, AuditActions.ReleaseVoted, requestId, record, new
                {
                    version = request.Version,
                    files = decisions.ToDictionary(d => d.Key, d => new { decision = DecisionName(d.Value.Decision), comment = d.Value.Comment }),
                }),
            };
            if (request.State is ReleaseState.Approved or ReleaseState.Rejected or ReleaseState.Returned)
                entries.Add(Audit("system", AuditActions.ReleaseDecided, requestId, record, new
                {
                    version = request.Version,
                    outcome = request.State.ToString().ToLowerInvariant(),
                    files = request.Outcome.ToDictionary(o => o.Key, o => DecisionName(o.Value)),
                    disagreed = request.Files.Where(f => request.AllVotes.Where(v => v.Version == request.Version).Select(v => v.Files[f].Decision).Distinct().Count() > 1),
                }));
            return new ReleaseChange(entries);
        }, cancellationToken));
        return after.Request.State == ReleaseState.Approved ? await PublishAsync(requestId, cancellationToken) : after;
    }

    /// <summary>
    /// Publishes an approved request's approved files: each file approved as it is after reading it back from the store and
    /// checking its SHA-256; each file approved with suppression as the host's own table made from its verdict (stored
    /// in the content store). Anything that does not verify or cannot be made stops the publication (the request stays
    /// approved, the failure is audited and logged). Run on approval and, after a crash between approval and publication,
    /// by the check worker.
    /// </summary>
    public async Task<ReleaseRecord> PublishAsync(long requestId, CancellationToken cancellationToken)
    {
        var record = await releases.FindAsync(requestId, cancellationToken) ?? throw new ReleaseRefusedException($"Release request {requestId} does not exist.");
        if (record.Request.State != ReleaseState.Approved) return record;
        var outputs = new List<PublishedOutput>();
        foreach (var file in record.CurrentFiles.Where(f => record.Request.ApprovedFiles.Contains(f.Name)))
        {
            try
            {
                outputs.Add(record.Request.Outcome[file.Name] == FileDecision.ApproveWithSuppression
                    ? await StoreSuppressedTableAsync(file, cancellationToken)
                    : await VerifiedAsSubmittedAsync(file, cancellationToken));
            }
            catch (Exception e) when (e is ContentTamperedException or IOException or InvalidOperationException)
            {
                var error = e is InvalidOperationException ? e.Message : "content does not match its SHA-256";
                logger.LogError(e, "Release request {RequestId}: {File} could not be published: {Error}", requestId, file.Name, error);
                await audit.RecordAsync(
                    Audit("system", AuditActions.ReleasePublishFailed, requestId, record, new { file = file.Name, sha256 = file.Sha256, error }), cancellationToken);
                return record;
            }
        }
        var at = clock.GetUtcNow();
        return await Guard(() => releases.ChangeAsync(requestId, "system", at, current =>
        {
            // The last vote and the check worker's pass may publish one request at once: the second finds it done.
            if (current.Request.State != ReleaseState.Approved) return new ReleaseChange([]);
            current.Request.Publish(at);
            return new ReleaseChange([Audit("system", AuditActions.ReleasePublished, requestId, current, new
            {
                version = current.Request.Version,
                files = outputs.Select(o => new { name = o.Name, sha256 = o.Sha256, form = o.Form == OutputForm.SuppressedByHost ? "suppressed_by_host" : "as_submitted" }),
            })]) { Publication = outputs };
        }, cancellationToken));
    }

    private async Task<PublishedOutput> VerifiedAsSubmittedAsync(ReleaseFile file, CancellationToken cancellationToken)
    {
        await using (var content = await store.OpenReadAsync(file.Sha256, cancellationToken))
            await content.CopyToAsync(Stream.Null, cancellationToken);   // reading to the end verifies the hash
        return new PublishedOutput(file.Name, file.Sha256, file.SizeBytes, file.MediaType, OutputForm.AsSubmitted);
    }

    private async Task<PublishedOutput> StoreSuppressedTableAsync(ReleaseFile file, CancellationToken cancellationToken)
    {
        var table = StoredVerdict.TableOf(file) ?? throw new InvalidOperationException($"{file.Name} has no recomputed table to release with suppression.");
        var bytes = SuppressedTable.ToCsv(table);
        using var content = new MemoryStream(bytes, writable: false);
        var stored = await store.PutAsync(content, bytes.Length, cancellationToken);
        return new PublishedOutput(file.Name, stored.Sha256, stored.Size, "text/csv", OutputForm.SuppressedByHost);
    }

    /// <summary>Staff take a publication off the presentation. It is kept, with who revoked it, when and why.</summary>
    public async Task RevokeAsync(Account staff, string actor, long requestId, string reason, CancellationToken cancellationToken)
    {
        if (!staff.IsStaff || staff.Disabled) throw new ReleaseRefusedException("Only staff revoke a publication.");
        if (string.IsNullOrWhiteSpace(reason)) throw new ReleaseRefusedException("Give the reason for revoking (it is kept with the publication).");
        var at = clock.GetUtcNow();
        await Guard(() => releases.ChangeAsync(requestId, actor, at, record =>
        {
            if (record.Publication is not { IsRevoked: false }) throw new ReleaseRefusedException("This request has no publication in force.");
            return new ReleaseChange([Audit(actor, AuditActions.PublicationRevoked, requestId, record, new { version = record.Publication.Version, reason = reason.Trim() })])
            {
                RevokeReason = reason.Trim(),
            };
        }, cancellationToken));
    }

    /// <summary>A request as a checker may see it: a checker, not disabled, not of the request's team.</summary>
    public async Task<ReleaseRecord> FindForCheckerAsync(Account checker, long requestId, CancellationToken cancellationToken)
    {
        if (!checker.IsChecker || checker.Disabled) throw new ReleaseRefusedException("Only output checkers review requests.");
        var record = await releases.FindAsync(requestId, cancellationToken) ?? throw new ReleaseRefusedException($"Release request {requestId} does not exist.");
        if (TeamsOf(checker).Contains(record.Request.TeamId)) throw new ReleaseRefusedException("You are a member of this team: another checker reviews its requests.");
        return record;
    }

    /// <summary>What the member's team's /outbox holds, read as intake reads it (for the submit form).</summary>
    public async Task<OutboxListing> ListOutboxAsync(Account member, CancellationToken cancellationToken)
    {
        var sandbox = await sandboxes.FindAsync(RequireMember(member).TeamId, cancellationToken);
        return sandbox is null
            ? OutboxListing.Unavailable(NoSandbox)
            : await intake.ListAsync(sandbox.ContainerName, limits, cancellationToken);
    }

    private const string NoSandbox = "Your team has no sandbox yet: start it, write your outputs to /outbox, then submit.";

    private async Task<IntakeResult> TakeSnapshotAsync(long teamId, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var sandbox = await sandboxes.FindAsync(teamId, cancellationToken)
            ?? throw new ReleaseRefusedException(NoSandbox);
        return await intake.TakeSnapshotAsync(sandbox.ContainerName, names, limits, cancellationToken);
    }

    private async Task RequireOwnTeamAsync(AccountTeam team, long requestId, CancellationToken cancellationToken)
    {
        var record = await releases.FindAsync(requestId, cancellationToken);
        // The same answer for another team's request as for none: a team learns nothing about others' requests.
        if (record is null || record.Request.TeamId != team.TeamId) throw new ReleaseRefusedException($"Release request {requestId} does not exist.");
    }

    /// <summary>
    /// "Approve with suppression" only where the host can make a protected table: the file's verdict must allow it, and a
    /// table protected together with other files of the request (linked cells) must not go out with those files approved
    /// as they are, or their unsuppressed cells would give the suppressed ones away by subtraction.
    /// </summary>
    private static void RequireReleasableWithSuppression(ReleaseRecord record, IReadOnlyDictionary<string, FileReview> decisions)
    {
        foreach (var (name, review) in decisions.Where(d => d.Value.Decision == FileDecision.ApproveWithSuppression))
        {
            var file = record.CurrentFiles.FirstOrDefault(f => f.Name == name);
            if (file is null) continue;   // the state machine names unknown files
            var table = StoredVerdict.TableOf(file);
            // A spec carries its table's verdict too, but what goes out with suppression is the table, under the table's name.
            if (table is not null && table.File != name)
                throw new ReleaseRefusedException($"{name} cannot be approved with suppression: it describes {table.File}; approve that table with suppression.");
            if (SuppressedTable.RefusalFor(table) is { } refusal)
                throw new ReleaseRefusedException($"{name} cannot be approved with suppression: {refusal}.");
            var linkedApprovedAsIs = table!.Suppression!.LinkedWith
                .Where(other => decisions.TryGetValue(other, out var d) && d.Decision == FileDecision.Approve).ToList();
            if (linkedApprovedAsIs.Count > 0)
                throw new ReleaseRefusedException($"{name} is protected together with {string.Join(", ", linkedApprovedAsIs)}: "
                    + "approve those with suppression too, or return or reject them.");
        }
    }

    /// <summary>A decision as the audit trail spells it.</summary>
    private static string DecisionName(FileDecision decision) =>
        decision == FileDecision.ApproveWithSuppression ? "approve_with_suppression" : decision.ToString().ToLowerInvariant();

    private static AccountTeam RequireMember(Account member) =>
        member is { Team: { } team, Disabled: false } ? team : throw new ReleaseRefusedException("Only members of a team submit release requests.");

    private static IReadOnlyCollection<long> TeamsOf(Account account) => account.Team is { } team ? [team.TeamId] : [];

    private static List<NewReleaseFile> FilesOf(IntakeResult snapshot) =>
        snapshot.Accepted.Select(a => new NewReleaseFile(a.Name, a.Sha256, a.Size, a.MediaType)).ToList();

    private static object FileDetails(IntakeResult snapshot) => snapshot.Accepted.Select(a => new { name = a.Name, sha256 = a.Sha256, size = a.Size });

    private static AuditEntry Audit(string actor, string action, long requestId, AccountTeam team, object details) =>
        AuditEntries.ForReleaseRequest(actor, action, requestId, team.EventId, team.TeamId, details);

    private static AuditEntry Audit(string actor, string action, long requestId, ReleaseRecord record, object details) =>
        AuditEntries.ForReleaseRequest(actor, action, requestId, record.EventId, record.Request.TeamId, details);

    /// <summary>Turns the state machine's refusals into messages for the person; everything else is a fault and propagates.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is InvalidTransitionException or ReviewNotAllowedException or DomainValidationException)
        {
            throw new ReleaseRefusedException(e.Message);
        }
        catch (KeyNotFoundException e)
        {
            throw new ReleaseRefusedException(e.Message);
        }
    }
}
