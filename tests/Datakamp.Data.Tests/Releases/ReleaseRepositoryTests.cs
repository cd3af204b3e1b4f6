using Datakamp.Data;
using System.Globalization;
using Dapper;
using Datakamp.Data.Audit;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Data.Tests.Releases;

/// <summary>
/// The release repository on a real migrated database: idempotent submission, all-or-nothing changes under
/// concurrency, restoring a request as recorded, first-result-wins checks, publication and revocation, and the audit trail.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ReleaseRepositoryTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private const string MemberActor = "team:dk/a/piet";

    /// <summary>One event with teams A and B, a member of each, and two checkers of no team.</summary>
    private sealed record World(NpgsqlDataSource Db, ReleaseRepository Releases, long EventId, long TeamA, long TeamB, long MemberA, long MemberB, long Chris, long Carla)
        : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Db.DisposeAsync();
    }

    private async Task<World> WorldAsync(int requiredVotes = 1)
    {
        var db = await postgres.CreateMigratedDatabaseAsync("releases");
        var events = new EventRepository(Database.OpenedOn(db));
        var dk = await events.CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        await events.SetReleaseCheckersAsync(dk.Id, requiredVotes, Ct);
        var a = await events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "Team A", Ct);
        var b = await events.CreateTeamAsync(dk.Id, Slug.Parse("b", "team"), "Team B", Ct);
        var accounts = new AccountRepository(Database.OpenedOn(db));
        var piet = await accounts.CreateAsync("piet", "Piet", isStaff: false, isChecker: false, a.Id, Ct);
        var bea = await accounts.CreateAsync("bea", "Bea", isStaff: false, isChecker: false, b.Id, Ct);
        var chris = await accounts.CreateAsync("chris", "Chris", isStaff: false, isChecker: true, teamId: null, Ct);
        var carla = await accounts.CreateAsync("carla", "Carla", isStaff: false, isChecker: true, teamId: null, Ct);
        return new World(db, new ReleaseRepository(Database.OpenedOn(db)), dk.Id, a.Id, b.Id, piet.Id, bea.Id, chris.Id, carla.Id);
    }

    private static string Sha(char c) => new(c, 64);

    private static NewRelease Release(World w, Guid key, long? teamId = null) =>
        new(teamId ?? w.TeamA, teamId == w.TeamB ? w.MemberB : w.MemberA, MemberActor, "  income tables for the report ", key,
            [new NewReleaseFile("income.csv", Sha('a'), 120, "text/csv"), new NewReleaseFile("plot.png", Sha('b'), 4000, "image/png")]);

    private static AuditEntry Entry(string actor, string action, long requestId, long teamId) =>
        new(actor, action, "release_request", requestId.ToString(CultureInfo.InvariantCulture), TeamId: teamId);

    private static Task<(long Id, bool Created)> SubmitAsync(World w, Guid key, long? teamId = null) =>
        w.Releases.SubmitAsync(Release(w, key, teamId), T0, id => Entry(MemberActor, AuditActions.ReleaseSubmitted, id, teamId ?? w.TeamA), Ct);

    /// <summary>One state-machine move through ChangeAsync, with its audit event.</summary>
    private static Task<ReleaseRecord> MoveAsync(World w, long id, string actor, string action, DateTimeOffset at, Action<ReleaseRequest> move) =>
        w.Releases.ChangeAsync(id, actor, at, record =>
        {
            move(record.Request);
            return new ReleaseChange([Entry(actor, action, id, record.Request.TeamId)]);
        }, Ct);

    /// <summary>A checker's vote (the same decision for every file unless <paramref name="decisions"/> says otherwise), as the workflow records it.</summary>
    private static Task<ReleaseRecord> VoteAsync(World w, long id, long checker, DateTimeOffset at, FileDecision decision, Dictionary<string, FileDecision>? decisions = null) =>
        w.Releases.ChangeAsync(id, $"checker:{checker}", at, record =>
        {
            var request = record.Request;
            var files = request.Files.ToDictionary(f => f, f => new FileReview(decisions?.GetValueOrDefault(f, decision) ?? decision, $"checked by {checker}"));
            request.Vote(checker, [], files, at);
            List<AuditEntry> audit = [Entry($"checker:{checker}", AuditActions.ReleaseVoted, id, request.TeamId)];
            if (request.State != ReleaseState.InReview) audit.Add(Entry("system", AuditActions.ReleaseDecided, id, request.TeamId));
            return new ReleaseChange(audit);
        }, Ct);

    private static async Task<long> InReviewAsync(World w)
    {
        var (id, _) = await SubmitAsync(w, Guid.NewGuid());
        await MoveAsync(w, id, "system", AuditActions.ReleaseChecked, T0.AddMinutes(1), r => r.MarkChecked(T0.AddMinutes(1)));
        await MoveAsync(w, id, "checker:chris", AuditActions.ReleaseReviewStarted, T0.AddMinutes(2), r => r.StartReview(T0.AddMinutes(2)));
        return id;
    }

    /// <summary>A request approved by Chris (one vote required).</summary>
    private static async Task<long> ApprovedAsync(World w)
    {
        var id = await InReviewAsync(w);
        await VoteAsync(w, id, w.Chris, T0.AddMinutes(3), FileDecision.Approve);
        return id;
    }

    private static async Task<ReleaseRecord> FindAsync(World w, long id) => (await w.Releases.FindAsync(id, Ct))!;

    private static Task<ReleaseRecord> PublishAsync(World w, long id, DateTimeOffset at) =>
        w.Releases.ChangeAsync(id, "system", at, record =>
        {
            record.Request.Publish(at);
            var outputs = record.CurrentFiles.Where(f => record.Request.ApprovedFiles.Contains(f.Name))
                .Select(f => new PublishedOutput(f.Name, f.Sha256, f.SizeBytes, f.MediaType, OutputForm.AsSubmitted)).ToList();
            return new ReleaseChange([Entry("system", AuditActions.ReleasePublished, id, record.Request.TeamId)]) { Publication = outputs };
        }, Ct);

    private static Task<ReleaseRecord> RevokeAsync(World w, long id, DateTimeOffset at, string reason) =>
        w.Releases.ChangeAsync(id, "staff:anna", at, record =>
            new ReleaseChange([Entry("staff:anna", AuditActions.PublicationRevoked, id, record.Request.TeamId)]) { RevokeReason = reason }, Ct);

    /// <summary>The audit actions recorded about one request, oldest first.</summary>
    private static async Task<List<string>> AuditActionsAsync(World w, long id)
    {
        await using var connection = await w.Db.OpenConnectionAsync(Ct);
        const string sql = "SELECT action FROM audit_events WHERE subject_type = 'release_request' AND subject_id = @subject ORDER BY seq";
        return (await connection.QueryAsync<string>(sql, new { subject = id.ToString(CultureInfo.InvariantCulture) })).ToList();
    }

    private static async Task<long> CountAsync(World w, string sql)
    {
        await using var connection = await w.Db.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Fact]
    public async Task Same_submission_key_twice_is_one_request()
    {
        await using var w = await WorldAsync();
        var key = Guid.NewGuid();

        var first = await SubmitAsync(w, key);
        var second = await SubmitAsync(w, key);

        Assert.True(first.Created);
        Assert.Equal((first.Id, false), second);
        Assert.Equal(1, await CountAsync(w, "SELECT count(*) FROM release_requests"));
        Assert.Equal([AuditActions.ReleaseSubmitted], await AuditActionsAsync(w, first.Id));
    }

    [Fact]
    public async Task Concurrent_posts_with_one_submission_key_make_one_request()
    {
        await using var w = await WorldAsync();
        var key = Guid.NewGuid();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SubmitAsync(w, key))));

        Assert.Single(results.Select(r => r.Id).Distinct());
        Assert.Single(results, r => r.Created);
        Assert.Equal(1, await CountAsync(w, "SELECT count(*) FROM release_requests"));
        Assert.Equal(2, await CountAsync(w, "SELECT count(*) FROM release_files"));
        Assert.Equal([AuditActions.ReleaseSubmitted], await AuditActionsAsync(w, results[0].Id));
    }

    [Fact]
    public async Task A_submission_key_of_another_teams_request_is_refused()
    {
        await using var w = await WorldAsync();
        var key = Guid.NewGuid();
        var (id, _) = await SubmitAsync(w, key);

        await Assert.ThrowsAsync<InvalidOperationException>(() => SubmitAsync(w, key, w.TeamB));

        Assert.Equal(1, await CountAsync(w, "SELECT count(*) FROM release_requests"));
        Assert.Equal(w.TeamA, (await FindAsync(w, id)).Request.TeamId);
    }

    [Fact]
    public async Task A_submission_is_stored_as_submitted_version_one_with_its_files_and_trimmed_purpose()
    {
        await using var w = await WorldAsync(requiredVotes: 2);
        var (id, _) = await SubmitAsync(w, Guid.NewGuid());

        var record = await FindAsync(w, id);

        Assert.Equal((ReleaseState.Submitted, 1, 2, "income tables for the report"),
            (record.Request.State, record.Request.Version, record.Request.RequiredVotes, record.Request.Purpose));
        Assert.Equal((w.EventId, "dk", "a", w.MemberA), (record.EventId, record.EventSlug, record.TeamSlug, record.SubmittedBy));
        Assert.Equal([("income.csv", Sha('a'), 120L, "text/csv"), ("plot.png", Sha('b'), 4000L, "image/png")],
            record.CurrentFiles.Select(f => (f.Name, f.Sha256, f.SizeBytes, f.MediaType)));
        Assert.Equal([new ReleaseTransition(ReleaseState.Draft, ReleaseState.Submitted, T0, MemberActor)], record.Transitions);
        Assert.False(record.FullyChecked);
    }

    [Fact]
    public async Task An_illegal_move_throws_and_changes_nothing()
    {
        await using var w = await WorldAsync();
        var (id, _) = await SubmitAsync(w, Guid.NewGuid());
        await MoveAsync(w, id, MemberActor, AuditActions.ReleaseWithdrawn, T0.AddMinutes(1), r => r.Withdraw(T0.AddMinutes(1)));
        var before = await FindAsync(w, id);
        var auditBefore = await AuditActionsAsync(w, id);

        await Assert.ThrowsAsync<InvalidTransitionException>(() =>
            MoveAsync(w, id, MemberActor, AuditActions.ReleaseWithdrawn, T0.AddMinutes(2), r => r.Withdraw(T0.AddMinutes(2))));
        await Assert.ThrowsAsync<InvalidTransitionException>(() =>
            MoveAsync(w, id, "system", AuditActions.ReleaseChecked, T0.AddMinutes(3), r => r.MarkChecked(T0.AddMinutes(3))));

        var after = await FindAsync(w, id);
        Assert.Equal((ReleaseState.Withdrawn, before.Request.Version, before.UpdatedAt), (after.Request.State, after.Request.Version, after.UpdatedAt));
        Assert.Equal(before.Transitions, after.Transitions);
        Assert.Equal(auditBefore, await AuditActionsAsync(w, id));
    }

    [Fact]
    public async Task A_change_that_fails_after_moving_the_state_machine_writes_nothing()
    {
        await using var w = await WorldAsync();
        var id = await ApprovedAsync(w);
        var auditBefore = await AuditActionsAsync(w, id);

        // Publish moves the request, then the revocation of a publication that does not exist fails the same change.
        await Assert.ThrowsAsync<InvalidTransitionException>(() => w.Releases.ChangeAsync(id, "system", T0.AddMinutes(4), record =>
        {
            record.Request.Publish(T0.AddMinutes(4));
            return new ReleaseChange([Entry("system", AuditActions.ReleasePublished, id, w.TeamA)]) { RevokeReason = "no publication yet" };
        }, Ct));

        var after = await FindAsync(w, id);
        Assert.Equal(ReleaseState.Approved, after.Request.State);
        Assert.Null(after.Publication);
        Assert.Equal(ReleaseState.Approved, after.Transitions[^1].To);
        Assert.Equal(auditBefore, await AuditActionsAsync(w, id));
    }

    [Fact]
    public async Task Two_concurrent_votes_by_different_checkers_both_land_and_decide_once()
    {
        await using var w = await WorldAsync(requiredVotes: 2);
        var id = await InReviewAsync(w);

        await Task.WhenAll(
            Task.Run(() => VoteAsync(w, id, w.Chris, T0.AddMinutes(3), FileDecision.Approve)),
            Task.Run(() => VoteAsync(w, id, w.Carla, T0.AddMinutes(4), FileDecision.Approve)));

        var record = await FindAsync(w, id);
        Assert.Equal(ReleaseState.Approved, record.Request.State);
        Assert.Equal(new[] { w.Chris, w.Carla }.Order(), record.Request.AllVotes.Select(v => v.CheckerAccountId).Order());
        Assert.Equal(["income.csv", "plot.png"], record.Request.ApprovedFiles);
        Assert.Single(record.Transitions, t => t.From == ReleaseState.InReview);
        Assert.Equal(4, await CountAsync(w, "SELECT count(*) FROM release_votes"));
        var audit = await AuditActionsAsync(w, id);
        Assert.Equal(2, audit.Count(a => a == AuditActions.ReleaseVoted));
        Assert.Equal(1, audit.Count(a => a == AuditActions.ReleaseDecided));
    }

    [Fact]
    public async Task A_second_vote_by_the_same_checker_is_refused_and_not_stored()
    {
        await using var w = await WorldAsync(requiredVotes: 2);
        var id = await InReviewAsync(w);
        await VoteAsync(w, id, w.Chris, T0.AddMinutes(3), FileDecision.Approve);

        await Assert.ThrowsAsync<ReviewNotAllowedException>(() => VoteAsync(w, id, w.Chris, T0.AddMinutes(4), FileDecision.Reject));

        var record = await FindAsync(w, id);
        Assert.Equal(ReleaseState.InReview, record.Request.State);
        Assert.Equal(FileDecision.Approve, Assert.Single(record.Request.AllVotes).Files["income.csv"].Decision);
    }

    [Fact]
    public async Task A_stored_request_is_restored_with_state_version_files_votes_and_transitions_as_recorded()
    {
        await using var w = await WorldAsync(requiredVotes: 2);
        var id = await InReviewAsync(w);
        await VoteAsync(w, id, w.Chris, T0.AddMinutes(3), FileDecision.Approve);
        await VoteAsync(w, id, w.Carla, T0.AddMinutes(4), FileDecision.Approve, new() { ["plot.png"] = FileDecision.Return });
        await w.Releases.ChangeAsync(id, MemberActor, T0.AddMinutes(5), record =>
        {
            record.Request.Resubmit(["plot.png"], T0.AddMinutes(5));
            return new ReleaseChange([Entry(MemberActor, AuditActions.ReleaseResubmitted, id, w.TeamA)])
            {
                NewVersionFiles = [new NewReleaseFile("plot.png", Sha('c'), 3900, "image/png")],
            };
        }, Ct);

        var restored = await FindAsync(w, id);

        Assert.Equal((ReleaseState.Submitted, 2), (restored.Request.State, restored.Request.Version));
        Assert.Equal(["plot.png"], restored.Request.Files);
        Assert.Equal([(1, "income.csv", Sha('a')), (1, "plot.png", Sha('b')), (2, "plot.png", Sha('c'))],
            restored.AllFiles.Select(f => (f.Version, f.Name, f.Sha256)));
        Assert.Equal(Sha('c'), Assert.Single(restored.CurrentFiles).Sha256);
        Assert.Equal(
            [
                (w.Chris, 1, T0.AddMinutes(3), "income.csv:Approve:checked by " + w.Chris + "|plot.png:Approve:checked by " + w.Chris),
                (w.Carla, 1, T0.AddMinutes(4), "income.csv:Approve:checked by " + w.Carla + "|plot.png:Return:checked by " + w.Carla),
            ],
            restored.Request.AllVotes.Select(v => (v.CheckerAccountId, v.Version, v.At,
                string.Join("|", v.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}:{f.Value.Decision}:{f.Value.Comment}")))));
        Assert.Equal(
            [
                new ReleaseTransition(ReleaseState.Draft, ReleaseState.Submitted, T0, MemberActor),
                new ReleaseTransition(ReleaseState.Submitted, ReleaseState.Checked, T0.AddMinutes(1), "system"),
                new ReleaseTransition(ReleaseState.Checked, ReleaseState.InReview, T0.AddMinutes(2), "checker:chris"),
                new ReleaseTransition(ReleaseState.InReview, ReleaseState.Returned, T0.AddMinutes(4), $"checker:{w.Carla}"),
                new ReleaseTransition(ReleaseState.Returned, ReleaseState.Submitted, T0.AddMinutes(5), MemberActor),
            ],
            restored.Transitions);
        Assert.Equal(restored.Transitions.Select(t => (t.From, t.To, t.At)), restored.Request.History);
    }

    [Fact]
    public async Task A_restored_decided_request_has_its_outcome_derived_from_the_votes()
    {
        await using var w = await WorldAsync(requiredVotes: 2);
        var id = await InReviewAsync(w);
        await VoteAsync(w, id, w.Chris, T0.AddMinutes(3), FileDecision.Approve);
        await VoteAsync(w, id, w.Carla, T0.AddMinutes(4), FileDecision.Approve, new() { ["plot.png"] = FileDecision.Reject });

        var restored = await FindAsync(w, id);

        Assert.Equal(ReleaseState.Approved, restored.Request.State);
        Assert.Equal(FileDecision.Reject, restored.Request.Outcome["plot.png"]);
        Assert.Equal(["income.csv"], restored.Request.ApprovedFiles);
    }

    [Fact]
    public async Task Only_the_first_check_result_of_a_file_is_stored()
    {
        await using var w = await WorldAsync();
        var (id, _) = await SubmitAsync(w, Guid.NewGuid());
        AuditEntry Checked() => Entry("system", AuditActions.ReleaseFileChecked, id, w.TeamA);

        var first = await w.Releases.RecordCheckAsync(id, 1, "income.csv", AutomatedCheck.Review, "small cells", """{"status":"review"}""", null, T0.AddMinutes(1), Checked(), Ct);
        var second = await w.Releases.RecordCheckAsync(id, 1, "income.csv", AutomatedCheck.Pass, "all fine", null, null, T0.AddMinutes(2), Checked(), Ct);

        Assert.Equal((true, false), (first, second));
        var file = (await FindAsync(w, id)).CurrentFiles.Single(f => f.Name == "income.csv");
        Assert.Equal((AutomatedCheck.Review, "small cells", T0.AddMinutes(1)), (file.Check, file.CheckSummary, file.CheckedAt));
        Assert.Contains("review", file.CheckVerdictJson);
        Assert.Equal([AuditActions.ReleaseSubmitted, AuditActions.ReleaseFileChecked], await AuditActionsAsync(w, id));
    }

    [Fact]
    public async Task A_publication_is_recorded_and_revoked_with_its_reason_and_a_second_revocation_is_refused()
    {
        await using var w = await WorldAsync();
        var id = await ApprovedAsync(w);

        var published = await PublishAsync(w, id, T0.AddMinutes(4));
        Assert.Equal(ReleaseState.Published, published.Request.State);
        Assert.Equal(new Publication(1, T0.AddMinutes(4), "system", null, null, null, []), published.Publication! with { Outputs = [] });
        Assert.Equal([new PublishedOutput("income.csv", Sha('a'), 120, "text/csv", OutputForm.AsSubmitted), new PublishedOutput("plot.png", Sha('b'), 4000, "image/png", OutputForm.AsSubmitted)],
            published.Publication.Outputs);
        Assert.Equal([id], (await w.Releases.ListPublishedAsync(w.EventId, Ct)).Select(r => r.Request.Id));

        var revoked = await RevokeAsync(w, id, T0.AddMinutes(5), "a cell of 3 after all");
        Assert.Equal(ReleaseState.Published, revoked.Request.State);
        Assert.Equal(new Publication(1, T0.AddMinutes(4), "system", T0.AddMinutes(5), "staff:anna", "a cell of 3 after all", []), revoked.Publication! with { Outputs = [] });
        Assert.Equal(published.Publication.Outputs, revoked.Publication.Outputs);   // a revocation keeps the record of what was released
        Assert.Empty(await w.Releases.ListPublishedAsync(w.EventId, Ct));

        var auditBefore = await AuditActionsAsync(w, id);
        await Assert.ThrowsAsync<InvalidTransitionException>(() => RevokeAsync(w, id, T0.AddMinutes(6), "again"));
        Assert.Equal(revoked.Publication with { Outputs = [] }, (await FindAsync(w, id)).Publication! with { Outputs = [] });
        Assert.Equal(auditBefore, await AuditActionsAsync(w, id));
    }

    [Fact]
    public async Task Publications_are_listed_in_force_and_revoked_newest_first_per_event_or_of_all_events()
    {
        await using var w = await WorldAsync();
        var inForce = await ApprovedAsync(w);
        await PublishAsync(w, inForce, T0.AddMinutes(4));
        var revoked = await ApprovedAsync(w);
        await PublishAsync(w, revoked, T0.AddMinutes(6));
        await RevokeAsync(w, revoked, T0.AddMinutes(7), "a cell of 3 after all");
        var otherEvent = await new EventRepository(Database.OpenedOn(w.Db)).CreateEventAsync(Slug.Parse("other", "event"), "Other", new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2), Ct);

        var listed = await w.Releases.ListPublicationsAsync(w.EventId, Ct);

        Assert.Equal([revoked, inForce], listed.Select(r => r.Request.Id));
        Assert.Equal(new Publication(1, T0.AddMinutes(6), "system", T0.AddMinutes(7), "staff:anna", "a cell of 3 after all", []), listed[0].Publication! with { Outputs = [] });
        Assert.False(listed[1].Publication!.IsRevoked);
        Assert.Equal([revoked, inForce], (await w.Releases.ListPublicationsAsync(null, Ct)).Select(r => r.Request.Id));
        Assert.Empty(await w.Releases.ListPublicationsAsync(otherEvent.Id, Ct));
        Assert.Equal([inForce], (await w.Releases.ListPublishedAsync(w.EventId, Ct)).Select(r => r.Request.Id));
    }

    [Fact]
    public async Task Every_change_writes_its_audit_event_and_the_trail_stays_intact()
    {
        await using var w = await WorldAsync();
        var id = await ApprovedAsync(w);
        await PublishAsync(w, id, T0.AddMinutes(4));
        await RevokeAsync(w, id, T0.AddMinutes(5), "withdrawn by the data owner");

        Assert.Equal(
            [
                AuditActions.ReleaseSubmitted, AuditActions.ReleaseChecked, AuditActions.ReleaseReviewStarted, AuditActions.ReleaseVoted,
                AuditActions.ReleaseDecided, AuditActions.ReleasePublished, AuditActions.PublicationRevoked,
            ],
            await AuditActionsAsync(w, id));
        var verification = await new AuditLog(w.Db).VerifyAsync(Ct);
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems));
    }
}
