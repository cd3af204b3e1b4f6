using Datakamp.Data;
using Dapper;
using System.Globalization;
using System.Text;
using Datakamp.Data.Audit;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Accounts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Events;
using Datakamp.Domain.Releases;
using Datakamp.Releases;
using Datakamp.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Datakamp.Releases.Tests;

/// <summary>
/// The release workflow's rules that need no sandbox, on a real migrated database and a real content store: who may
/// withdraw, vote and revoke, and that publication re-verifies the stored bytes. Requests are recorded directly through
/// the repository (submission itself takes files from a sandbox and is tested with one).
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ReleaseWorkflowTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly byte[] Table = Encoding.UTF8.GetBytes("district,income\nnoord,1200\nzuid,1100\n");
    private static readonly byte[] Plot = Encoding.UTF8.GetBytes("PNG, not really a picture");

    private readonly ScratchFolder _state = new();
    private NpgsqlDataSource _db = null!;
    private ContentStore _store = null!;
    private ReleaseWorkflow _workflow = null!;
    private ReleaseRepository _releases = null!;
    private Team _teamA = null!;
    private Account _piet = null!, _bea = null!, _chris = null!, _dirk = null!, _anna = null!;

    public async ValueTask InitializeAsync()
    {
        _db = await postgres.CreateMigratedDatabaseAsync("workflow");
        _store = new ContentStore(Path.Combine(_state.Path, "content"));
        // The intake is never called here (no submission), so it needs no engine.
        var intake = new OutboxIntake(null!, _store);
        var database = Database.OpenedOn(_db);
        _releases = new ReleaseRepository(database);
        _workflow = new ReleaseWorkflow(_releases, new SandboxRepository(database), intake, _store, new CheckSignal(), IntakeLimits.Default, new AuditTrail(database), TimeProvider.System,
            NullLogger<ReleaseWorkflow>.Instance);

        var events = new EventRepository(database);
        var dk = await events.CreateEventAsync(Slug.Parse("dk", "event"), "DK", new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 25), Ct);
        _teamA = await events.CreateTeamAsync(dk.Id, Slug.Parse("a", "team"), "Team A", Ct);
        var teamB = await events.CreateTeamAsync(dk.Id, Slug.Parse("b", "team"), "Team B", Ct);
        var accounts = new AccountRepository(database);
        _piet = await accounts.CreateAsync("piet", "Piet", isStaff: false, isChecker: false, _teamA.Id, Ct);
        _bea = await accounts.CreateAsync("bea", "Bea", isStaff: false, isChecker: false, teamB.Id, Ct);
        _chris = await accounts.CreateAsync("chris", "Chris", isStaff: false, isChecker: true, teamId: null, Ct);
        _dirk = await accounts.CreateAsync("dirk", "Dirk", isStaff: false, isChecker: true, _teamA.Id, Ct);
        _anna = await accounts.CreateAsync("anna", "Anna", isStaff: true, isChecker: false, teamId: null, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _state.Dispose();
    }

    /// <summary>Puts the two files into the content store and records Piet's request for them (state Submitted).</summary>
    private async Task<long> SubmittedAsync()
    {
        var table = await _store.PutAsync(new MemoryStream(Table), 1 << 20, Ct);
        var plot = await _store.PutAsync(new MemoryStream(Plot), 1 << 20, Ct);
        var release = new NewRelease(_teamA.Id, _piet.Id, "team:dk/a/piet", "income by district", Guid.NewGuid(),
            [new NewReleaseFile("income.csv", table.Sha256, table.Size, "text/csv"), new NewReleaseFile("plot.png", plot.Sha256, plot.Size, "image/png")]);
        var (id, _) = await _releases.SubmitAsync(release, DateTimeOffset.UtcNow,
            newId => new AuditEntry("team:dk/a/piet", AuditActions.ReleaseSubmitted, "release_request", newId.ToString(CultureInfo.InvariantCulture), TeamId: _teamA.Id), Ct);
        return id;
    }

    /// <summary>A submitted request, marked checked (as the check worker does) and opened for review by Chris.</summary>
    private async Task<long> InReviewAsync() => await OpenedForReviewAsync(await SubmittedAsync());

    private async Task<long> OpenedForReviewAsync(long id)
    {
        await _releases.ChangeAsync(id, "system", DateTimeOffset.UtcNow, record =>
        {
            record.Request.MarkChecked(DateTimeOffset.UtcNow);
            return new ReleaseChange([new AuditEntry("system", AuditActions.ReleaseChecked, "release_request", id.ToString(CultureInfo.InvariantCulture), TeamId: _teamA.Id)]);
        }, Ct);
        await _workflow.OpenForReviewAsync(_chris, "checker:chris", id, Ct);
        return id;
    }

    private static Dictionary<string, FileReview> Decisions(FileDecision table, FileDecision plot) => new()
    {
        ["income.csv"] = new FileReview(table, "cells of at least 10"),
        ["plot.png"] = new FileReview(plot, "shows the same table"),
    };

    private Task<ReleaseRecord> ApproveAsync(long id) => _workflow.VoteAsync(_chris, "checker:chris", id, Decisions(FileDecision.Approve, FileDecision.Approve), Ct);

    private async Task<ReleaseRecord> PublishedAsync()
    {
        var published = await ApproveAsync(await InReviewAsync());
        Assert.Equal(ReleaseState.Published, published.Request.State);
        return published;
    }

    /// <summary>Overwrites stored content in place, as someone with access to the host's disk could (the file is 0444).</summary>
    private void Tamper(byte[] content, string with)
    {
        var path = StoredPath(content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(path, with);
    }

    /// <summary>Puts the original bytes back after <see cref="Tamper"/>.</summary>
    private void Restore(byte[] content) => File.WriteAllBytes(StoredPath(content), content);

    private string StoredPath(byte[] content) => _store.PathFor(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)));

    private async Task<ReleaseRecord> FindAsync(long id) => (await _releases.FindAsync(id, Ct))!;

    /// <summary>The audit actions about one request, oldest first.</summary>
    private async Task<List<string>> AuditActionsAsync(long id) =>
        (await new AuditLog(_db).QueryAsync(new AuditQuery(TeamId: _teamA.Id), Ct))
            .Where(r => r.Entry.SubjectId == id.ToString(CultureInfo.InvariantCulture)).Reverse().Select(r => r.Entry.Action).ToList();

    [Fact]
    public async Task A_member_withdraws_a_request_of_their_own_team()
    {
        var id = await SubmittedAsync();

        await _workflow.WithdrawAsync(_piet, "team:dk/a/piet", id, Ct);

        var record = await FindAsync(id);
        Assert.Equal(ReleaseState.Withdrawn, record.Request.State);
        Assert.Equal("team:dk/a/piet", record.Transitions[^1].Actor);
        Assert.Equal(AuditActions.ReleaseWithdrawn, (await AuditActionsAsync(id))[^1]);
    }

    [Fact]
    public async Task A_member_of_another_team_is_told_the_request_does_not_exist()
    {
        var id = await SubmittedAsync();

        var other = await Assert.ThrowsAsync<ReleaseRefusedException>(() => _workflow.WithdrawAsync(_bea, "team:dk/b/bea", id, Ct));
        var missing = await Assert.ThrowsAsync<ReleaseRefusedException>(() => _workflow.WithdrawAsync(_bea, "team:dk/b/bea", id + 1000, Ct));

        Assert.Equal($"Release request {id} does not exist.", other.Message);
        Assert.Equal($"Release request {id + 1000} does not exist.", missing.Message);
        Assert.Equal(ReleaseState.Submitted, (await FindAsync(id)).Request.State);
    }

    [Fact]
    public async Task Withdrawing_a_request_twice_is_refused_with_a_message()
    {
        var id = await SubmittedAsync();
        await _workflow.WithdrawAsync(_piet, "team:dk/a/piet", id, Ct);

        await Assert.ThrowsAsync<ReleaseRefusedException>(() => _workflow.WithdrawAsync(_piet, "team:dk/a/piet", id, Ct));

        Assert.Single(await AuditActionsAsync(id), a => a == AuditActions.ReleaseWithdrawn);
    }

    [Fact]
    public async Task A_checker_who_is_a_member_of_the_team_may_not_vote_on_its_request()
    {
        var id = await InReviewAsync();

        var refused = await Assert.ThrowsAsync<ReleaseRefusedException>(() =>
            _workflow.VoteAsync(_dirk, "checker:dirk", id, Decisions(FileDecision.Approve, FileDecision.Approve), Ct));

        Assert.Contains("member of this team", refused.Message);
        var record = await FindAsync(id);
        Assert.Equal(ReleaseState.InReview, record.Request.State);
        Assert.Empty(record.Request.AllVotes);
    }

    [Fact]
    public async Task The_last_approving_vote_publishes_the_verified_files()
    {
        var published = await PublishedAsync();

        Assert.Equal(("system", false), (published.Publication!.PublishedBy, published.Publication.IsRevoked));
        Assert.Equal([AuditActions.ReleaseVoted, AuditActions.ReleaseDecided, AuditActions.ReleasePublished], (await AuditActionsAsync(published.Request.Id))[^3..]);
    }

    [Fact]
    public async Task A_tampered_approved_file_stops_the_publication_and_the_request_stays_approved()
    {
        var id = await InReviewAsync();
        Tamper(Table, "district,income\nnoord,3\n");

        var after = await ApproveAsync(id);

        Assert.Equal(ReleaseState.Approved, after.Request.State);
        Assert.Null(after.Publication);
        Assert.Equal(ReleaseState.Approved, (await FindAsync(id)).Request.State);
        Assert.Equal(AuditActions.ReleasePublishFailed, (await AuditActionsAsync(id))[^1]);
    }

    [Fact]
    public async Task Publishing_again_once_the_stored_file_verifies_publishes_the_approved_request()
    {
        var id = await InReviewAsync();
        Tamper(Table, "tampered");
        await ApproveAsync(id);
        Restore(Table);

        var published = await _workflow.PublishAsync(id, Ct);

        Assert.Equal(ReleaseState.Published, published.Request.State);
        Assert.NotNull(published.Publication);
        Assert.Equal([AuditActions.ReleasePublishFailed, AuditActions.ReleasePublished], (await AuditActionsAsync(id))[^2..]);
    }

    [Fact]
    public async Task A_tampered_file_that_was_not_approved_does_not_stop_the_publication()
    {
        var id = await InReviewAsync();
        Tamper(Plot, "tampered");

        var after = await _workflow.VoteAsync(_chris, "checker:chris", id, Decisions(FileDecision.Approve, FileDecision.Reject), Ct);

        Assert.Equal(ReleaseState.Published, after.Request.State);
        Assert.Equal(["income.csv"], after.Request.ApprovedFiles);
    }

    [Fact]
    public async Task Only_staff_revoke_a_publication()
    {
        var id = (await PublishedAsync()).Request.Id;

        foreach (var (account, actor) in new[] { (_chris, "checker:chris"), (_piet, "team:dk/a/piet") })
        {
            var refused = await Assert.ThrowsAsync<ReleaseRefusedException>(() => _workflow.RevokeAsync(account, actor, id, "I want it gone", Ct));
            Assert.Equal("Only staff revoke a publication.", refused.Message);
        }

        Assert.False((await FindAsync(id)).Publication!.IsRevoked);
        Assert.DoesNotContain(AuditActions.PublicationRevoked, await AuditActionsAsync(id));
    }

    [Fact]
    public async Task Staff_revoking_keeps_the_publication_with_who_and_why_and_a_second_revocation_is_refused()
    {
        var published = await PublishedAsync();
        var id = published.Request.Id;

        await _workflow.RevokeAsync(_anna, "staff:anna", id, "  a cell of 3 after all ", Ct);
        var second = await Assert.ThrowsAsync<ReleaseRefusedException>(() => _workflow.RevokeAsync(_anna, "staff:anna", id, "again", Ct));

        var record = await FindAsync(id);
        Assert.Equal(ReleaseState.Published, record.Request.State);
        Assert.Equal((published.Publication!.PublishedAt, true, "staff:anna", "a cell of 3 after all"),
            (record.Publication!.PublishedAt, record.Publication.IsRevoked, record.Publication.RevokedBy, record.Publication.RevokeReason));
        Assert.Equal("This request has no publication in force.", second.Message);
        Assert.Single(await AuditActionsAsync(id), a => a == AuditActions.PublicationRevoked);
    }

    [Fact]
    public async Task Two_concurrent_publications_of_one_approved_request_publish_it_once_without_error()
    {
        var id = await InReviewAsync();
        Tamper(Table, "tampered");
        await ApproveAsync(id);
        Restore(Table);

        // Hold the request's row until both publications have read it as approved and wait for the lock: the check
        // worker's pass and a last vote can publish the same request at once.
        await using var connection = await _db.OpenConnectionAsync(Ct);
        await using var hold = await connection.BeginTransactionAsync(Ct);
        await connection.ExecuteAsync("SELECT id FROM release_requests WHERE id = @id FOR UPDATE", new { id }, hold);
        var publications = new[] { Task.Run(() => _workflow.PublishAsync(id, Ct)), Task.Run(() => _workflow.PublishAsync(id, Ct)) };
        await using (var watch = await _db.OpenConnectionAsync(Ct))
        {
            const string waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
            while (await watch.ExecuteScalarAsync<long>(waiting) < 2) await Task.Delay(20, Ct);
        }
        await hold.CommitAsync(Ct);

        var results = await Task.WhenAll(publications);

        Assert.All(results, r => Assert.Equal(ReleaseState.Published, r.Request.State));
        Assert.Single(await AuditActionsAsync(id), a => a == AuditActions.ReleasePublished);
    }

    /// <summary>A request in review whose table carries the hand-built verdict (noord 3 primary, zuid 12 secondary).</summary>
    private async Task<long> InReviewWithVerdictAsync(Disclosure.Verdicts.FileVerdict table)
    {
        var id = await SubmittedAsync();
        var json = Disclosure.Verdicts.VerdictJsonContext.Serialize(HandBuiltVerdicts.Document(table));
        await _releases.RecordCheckAsync(id, 1, "income.csv", AutomatedCheck.Fail, "1 cell fails", json, null, DateTimeOffset.UtcNow,
            new AuditEntry("system", AuditActions.ReleaseFileChecked, "release_request", id.ToString(CultureInfo.InvariantCulture), TeamId: _teamA.Id), Ct);
        return await OpenedForReviewAsync(id);
    }

    [Fact]
    public async Task A_table_approved_with_suppression_is_published_as_the_hosts_table_and_never_as_the_teams_file()
    {
        var id = await InReviewWithVerdictAsync(HandBuiltVerdicts.DistrictCounts());

        var published = await _workflow.VoteAsync(_chris, "checker:chris", id, Decisions(FileDecision.ApproveWithSuppression, FileDecision.Approve), Ct);

        Assert.Equal(ReleaseState.Published, published.Request.State);
        var outputs = published.Publication!.Outputs.ToDictionary(o => o.Name);
        Assert.Equal(OutputForm.SuppressedByHost, outputs["income.csv"].Form);
        Assert.Equal("district,count,suppressed\nnoord,,x\nzuid,,x\noost,25,\nTotal,40,\n",
            Encoding.UTF8.GetString(await _store.ReadAllBytesAsync(outputs["income.csv"].Sha256, Ct)));
        Assert.NotEqual(published.CurrentFiles.Single(f => f.Name == "income.csv").Sha256, outputs["income.csv"].Sha256);
        Assert.Equal((OutputForm.AsSubmitted, published.CurrentFiles.Single(f => f.Name == "plot.png").Sha256), (outputs["plot.png"].Form, outputs["plot.png"].Sha256));
    }

    [Fact]
    public async Task Approve_with_suppression_is_refused_for_a_file_the_host_cannot_protect_and_nothing_is_recorded()
    {
        var unprotected = await InReviewWithVerdictAsync(HandBuiltVerdicts.DistrictCounts(Disclosure.Verdicts.SuppressionOutcome.VerificationFailed));
        var noTable = await InReviewWithVerdictAsync(HandBuiltVerdicts.DistrictCounts());

        var refusedTable = await Assert.ThrowsAsync<ReleaseRefusedException>(() =>
            _workflow.VoteAsync(_chris, "checker:chris", unprotected, Decisions(FileDecision.ApproveWithSuppression, FileDecision.Approve), Ct));
        var refusedPlot = await Assert.ThrowsAsync<ReleaseRefusedException>(() =>
            _workflow.VoteAsync(_chris, "checker:chris", noTable, Decisions(FileDecision.Approve, FileDecision.ApproveWithSuppression), Ct));

        Assert.Equal("income.csv cannot be approved with suppression: secondary suppression did not protect it (verification found an under-protected cell).", refusedTable.Message);
        Assert.Equal("plot.png cannot be approved with suppression: it is not a table the host recomputed.", refusedPlot.Message);
        Assert.Empty((await FindAsync(unprotected)).Request.AllVotes);
        Assert.Empty((await FindAsync(noTable)).Request.AllVotes);
    }

    [Fact]
    public async Task A_table_protected_together_with_another_file_cannot_go_out_with_suppression_beside_that_file_as_it_is()
    {
        // The other file shares cells with this table: released as it is, its numbers would give the blank cells away.
        var id = await InReviewWithVerdictAsync(HandBuiltVerdicts.DistrictCounts(linkedWith: ["plot.png"]));

        var refused = await Assert.ThrowsAsync<ReleaseRefusedException>(() =>
            _workflow.VoteAsync(_chris, "checker:chris", id, Decisions(FileDecision.ApproveWithSuppression, FileDecision.Approve), Ct));
        var returned = await _workflow.VoteAsync(_chris, "checker:chris", id, Decisions(FileDecision.ApproveWithSuppression, FileDecision.Return), Ct);

        Assert.Equal("income.csv is protected together with plot.png: approve those with suppression too, or return or reject them.", refused.Message);
        Assert.Equal(ReleaseState.Returned, returned.Request.State);
    }

    [Fact]
    public async Task A_file_that_only_carries_a_tables_verdict_is_not_approved_with_suppression_in_the_tables_place()
    {
        // As a spec file does: the automated check stores the table's verdict with it too.
        var id = await SubmittedAsync();
        var json = Disclosure.Verdicts.VerdictJsonContext.Serialize(HandBuiltVerdicts.Document(HandBuiltVerdicts.DistrictCounts()));
        foreach (var file in new[] { "income.csv", "plot.png" })
            await _releases.RecordCheckAsync(id, 1, file, AutomatedCheck.Fail, "1 cell fails", json, null, DateTimeOffset.UtcNow,
                new AuditEntry("system", AuditActions.ReleaseFileChecked, "release_request", id.ToString(CultureInfo.InvariantCulture), TeamId: _teamA.Id), Ct);
        await OpenedForReviewAsync(id);

        var refused = await Assert.ThrowsAsync<ReleaseRefusedException>(() =>
            _workflow.VoteAsync(_chris, "checker:chris", id, Decisions(FileDecision.ApproveWithSuppression, FileDecision.ApproveWithSuppression), Ct));

        Assert.Equal("plot.png cannot be approved with suppression: it describes income.csv; approve that table with suppression.", refused.Message);
    }
}
