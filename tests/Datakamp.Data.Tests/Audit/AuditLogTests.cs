using Dapper;
using Datakamp.Data.Audit;
using Datakamp.Domain.Audit;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Data.Tests.Audit;

[Trait("Category", "Postgres")]
public sealed class AuditLogTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private Task<NpgsqlDataSource> MigratedDatabaseAsync() => postgres.CreateMigratedDatabaseAsync("audit");

    private static AuditEntry Grant(long team, string purpose = "poverty by district") =>
        new("staff:anna", AuditActions.DatasetGranted, "dataset", "persons", EventId: 1, TeamId: team, DatasetId: 7,
            DetailsJson: $$"""{"purpose":"{{purpose}}"}""");

    /// <summary>Changes the stored trail the way only someone with superuser rights could, bypassing the triggers.</summary>
    private static async Task TamperAsync(NpgsqlDataSource db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync($"ALTER TABLE audit_events DISABLE TRIGGER USER; {sql}; ALTER TABLE audit_events ENABLE TRIGGER USER;");
    }

    [Fact]
    public async Task Appended_events_form_a_chain_from_the_genesis_hash_that_verifies()
    {
        await using var db = await MigratedDatabaseAsync();
        var log = new AuditLog(db);

        var first = await log.AppendAsync(Grant(1), Ct);
        var second = await log.AppendAsync(Grant(2), Ct);

        Assert.Equal((1, AuditChain.Genesis), (first.Seq, first.PrevHash));
        Assert.Equal((2, first.Hash), (second.Seq, second.PrevHash));
        var verification = await log.VerifyAsync(Ct);
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems));
        Assert.Equal((2, 2, second.Hash), (verification.EventsChecked, verification.HeadSeq, verification.HeadHash));
    }

    [Fact]
    public async Task Fifty_concurrent_appends_get_gapless_sequence_numbers_and_one_unbroken_chain()
    {
        await using var db = await MigratedDatabaseAsync();
        var log = new AuditLog(db);

        await Task.WhenAll(Enumerable.Range(1, 50).Select(team => Task.Run(() => log.AppendAsync(Grant(team), Ct))));

        var verification = await log.VerifyAsync(Ct);
        Assert.True(verification.IsIntact, string.Join("; ", verification.Problems));
        Assert.Equal(50, verification.HeadSeq);
    }

    [Fact]
    public async Task Updating_or_deleting_an_event_is_refused_by_the_database()
    {
        await using var db = await MigratedDatabaseAsync();
        await new AuditLog(db).AppendAsync(Grant(1), Ct);
        await using var connection = await db.OpenConnectionAsync(Ct);

        var update = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("UPDATE audit_events SET actor = 'someone else'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DELETE FROM audit_events"));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("TRUNCATE audit_events"));

        Assert.All(new[] { update, delete, truncate }, e => Assert.Contains("audit_events is append-only", e.MessageText));
    }

    [Fact]
    public async Task A_changed_event_is_reported_by_its_sequence_number()
    {
        await using var db = await MigratedDatabaseAsync();
        var log = new AuditLog(db);
        for (var team = 1; team <= 3; team++) await log.AppendAsync(Grant(team), Ct);

        await TamperAsync(db, """UPDATE audit_events SET details = '{"purpose":"something harmless"}' WHERE seq = 2""");

        var verification = await log.VerifyAsync(Ct);
        Assert.False(verification.IsIntact);
        Assert.Equal(["event 2 (dataset.granted by staff:anna) was changed after it was written"], verification.Problems);
    }

    [Fact]
    public async Task A_changed_event_with_a_recomputed_hash_still_breaks_the_link_of_the_next_one()
    {
        await using var db = await MigratedDatabaseAsync();
        var log = new AuditLog(db);
        for (var team = 1; team <= 3; team++) await log.AppendAsync(Grant(team), Ct);
        var original = (await log.QueryAsync(new AuditQuery(TeamId: 2), Ct)).Single();
        var forgedEntry = original.Entry with { Actor = "staff:mallory" };
        var forgedHash = AuditChain.Hash(2, original.At, forgedEntry, original.PrevHash);

        await TamperAsync(db, $"UPDATE audit_events SET actor = 'staff:mallory', hash = '{forgedHash}' WHERE seq = 2");

        var verification = await log.VerifyAsync(Ct);
        Assert.Equal(["event 3 does not link to the event before it (an earlier event was changed or removed)"], verification.Problems);
    }

    [Fact]
    public async Task A_deleted_event_is_reported_as_missing()
    {
        await using var db = await MigratedDatabaseAsync();
        var log = new AuditLog(db);
        for (var team = 1; team <= 4; team++) await log.AppendAsync(Grant(team), Ct);

        await TamperAsync(db, "DELETE FROM audit_events WHERE seq = 2");

        var verification = await log.VerifyAsync(Ct);
        Assert.Contains("events 2..2 are missing (deleted?)", verification.Problems);
        Assert.Contains("event 3 does not link to the event before it (an earlier event was changed or removed)", verification.Problems);
    }

    [Fact]
    public async Task An_event_appended_in_a_transaction_that_rolls_back_leaves_no_trace()
    {
        await using var db = await MigratedDatabaseAsync();
        var log = new AuditLog(db);
        await using (var connection = await db.OpenConnectionAsync(Ct))
        await using (var transaction = await connection.BeginTransactionAsync(Ct))
        {
            await log.AppendAsync(Grant(1), connection, transaction, Ct);
            await transaction.RollbackAsync(Ct);
        }

        var next = await log.AppendAsync(Grant(2), Ct);

        Assert.Equal(1, next.Seq);
        Assert.True((await log.VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task Staff_can_filter_the_trail_by_person_team_dataset_action_and_time()
    {
        await using var db = await MigratedDatabaseAsync();
        var log = new AuditLog(db);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await log.AppendAsync(Grant(1), Ct);
        await log.AppendAsync(Grant(2), Ct);
        await log.AppendAsync(new AuditEntry("team:noord/piet", AuditActions.SignIn, "account", "piet", EventId: 1, TeamId: 1), Ct);

        Assert.Equal(2, (await log.QueryAsync(new AuditQuery(TeamId: 1), Ct)).Count);
        Assert.Equal(2, (await log.QueryAsync(new AuditQuery(DatasetId: 7), Ct)).Count);
        Assert.Equal("piet", (await log.QueryAsync(new AuditQuery(Actor: "team:noord/piet"), Ct)).Single().Entry.SubjectId);
        Assert.Equal(2, (await log.QueryAsync(new AuditQuery(Action: AuditActions.DatasetGranted), Ct)).Count);
        Assert.Equal(3, (await log.QueryAsync(new AuditQuery(From: before, To: DateTimeOffset.UtcNow.AddSeconds(1)), Ct)).Count);
        Assert.Empty(await log.QueryAsync(new AuditQuery(To: before), Ct));
        Assert.Equal([3, 2, 1], (await log.QueryAsync(new AuditQuery(), Ct)).Select(r => r.Seq));
    }

    [Fact]
    public async Task Events_of_some_actions_are_listed_newest_first_up_to_the_limit()
    {
        await using var db = await MigratedDatabaseAsync();
        var log = new AuditLog(db);
        AuditEntry Alert(string action, string file) =>
            new("system", action, "release_request", "12", EventId: 1, TeamId: 3, DetailsJson: $$"""{"file":"{{file}}","sha256":"{{new string('a', 64)}}"}""");
        await log.AppendAsync(Grant(1), Ct);
        await log.AppendAsync(Alert(AuditActions.ReleasePublishFailed, "t.csv"), Ct);
        await log.AppendAsync(new AuditEntry("team:noord/piet", AuditActions.SignIn, "account", "piet", EventId: 1, TeamId: 1), Ct);
        await log.AppendAsync(Alert(AuditActions.ReleaseContentMismatch, "plot.png"), Ct);
        await log.AppendAsync(Alert(AuditActions.ReleasePublishFailed, "notes.txt"), Ct);
        string[] alerts = [AuditActions.ReleasePublishFailed, AuditActions.ReleaseContentMismatch];

        var all = await log.ListByActionsAsync(alerts, 10, Ct);
        var newestTwo = await log.ListByActionsAsync(alerts, 2, Ct);

        Assert.Equal([5L, 4L, 2L], all.Select(r => r.Seq));
        Assert.Equal("""{"file":"plot.png","sha256":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""", all[1].Entry.DetailsJson);
        Assert.Equal([5L, 4L], newestTwo.Select(r => r.Seq));
        Assert.Empty(await log.ListByActionsAsync([AuditActions.PublicationRevoked], 10, Ct));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public async Task Details_that_are_not_a_json_object_are_refused(string details)
    {
        await using var db = await MigratedDatabaseAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => new AuditLog(db).AppendAsync(Grant(1) with { DetailsJson = details }, Ct));
    }
}
