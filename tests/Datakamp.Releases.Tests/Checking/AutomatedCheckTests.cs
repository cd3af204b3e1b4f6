using Datakamp.Data;
using System.Text;
using System.Text.Json;
using Dapper;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Releases;
using Datakamp.TestSupport;

namespace Datakamp.Releases.Tests;

/// <summary>
/// The automated check of submitted files (issue 11 item 3) against a real database and store: the durable queue, the
/// disclosure engine on granted datasets, the checks by file type, and failing closed.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class AutomatedCheckTests(PostgresFixture postgres)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_table_with_a_spec_is_recomputed_and_its_small_cell_fails_with_the_rule_and_numbers()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var id = await h.SubmitAsync(CheckHarness.CountByWijk());

        Assert.Equal(1, await h.DrainAsync());

        var record = (await h.Releases.FindAsync(id, Ct))!;
        Assert.Equal(ReleaseState.Checked, record.Request.State);
        var table = record.CurrentFiles.Single(f => f.Name == "by_wijk.csv");
        Assert.Equal(AutomatedCheck.Fail, table.Check);
        Assert.Equal(h.Persons.Id, table.DatasetId);
        using var verdict = JsonDocument.Parse(table.CheckVerdictJson!);
        var cells = verdict.RootElement.GetProperty("files")[0].GetProperty("cells").EnumerateArray().ToList();
        var wk01 = cells.Single(c => c.GetProperty("coordinates").GetProperty("wijk").GetString() == "WK01");
        Assert.Equal(3, wk01.GetProperty("units").GetInt32());
        Assert.Equal("fail", wk01.GetProperty("status").GetString());
        Assert.Contains(wk01.GetProperty("rules").EnumerateArray(), r => r.GetProperty("id").GetString() == "threshold");
        var wk02 = cells.Single(c => c.GetProperty("coordinates").GetProperty("wijk").GetString() == "WK02");
        Assert.Equal(12, wk02.GetProperty("units").GetInt32());
        // The spec carries the table's verdict too.
        Assert.Equal(AutomatedCheck.Fail, record.CurrentFiles.Single(f => f.Name == "by_wijk.spec.yaml").Check);
    }

    [Fact]
    public async Task Every_checked_file_and_the_move_to_checked_are_audit_events()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var id = await h.SubmitAsync(CheckHarness.CountByWijk());
        await h.DrainAsync();

        await using var connection = await h.Db.OpenConnectionAsync(Ct);
        var actions = (await connection.QueryAsync<string>(
            "SELECT action FROM audit_events WHERE subject_type = 'release_request' AND subject_id = @id ORDER BY seq", new { id = id.ToString() })).ToList();
        Assert.Equal(["release.submitted", "release.file_checked", "release.file_checked", "release.checked"], actions);
    }

    [Fact]
    public async Task A_spec_naming_a_dataset_not_granted_fails_in_words_and_the_other_files_are_still_checked()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var files = CheckHarness.CountByWijk("theirs", dataset: "households");
        files["notes.txt"] = "Our method, in words.";
        var id = await h.SubmitAsync(files);
        await h.DrainAsync();

        var spec = await h.FileAsync(id, "theirs.spec.yaml");
        Assert.Equal(AutomatedCheck.Fail, spec.Check);
        Assert.Contains("dataset 'households' is not granted to this team (granted: persons)", spec.CheckSummary);
        Assert.Equal(AutomatedCheck.Review, (await h.FileAsync(id, "notes.txt")).Check);
        Assert.Equal(ReleaseState.Checked, (await h.Releases.FindAsync(id, Ct))!.Request.State);
    }

    [Fact]
    public async Task A_spec_on_a_dataset_whose_grant_was_revoked_fails_as_not_granted()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        await new DatasetRepository(Database.OpenedOn(h.Db)).RevokeAsync(h.Persons.Id, h.Team.Id, new GrantRevocation(DateTimeOffset.UtcNow, "staff:test", "question answered"),
            GrantCalendar.Today(TimeProvider.System), Ct);
        var id = await h.SubmitAsync(CheckHarness.CountByWijk());
        await h.DrainAsync();

        var spec = await h.FileAsync(id, "by_wijk.spec.yaml");
        Assert.Equal(AutomatedCheck.Fail, spec.Check);
        Assert.Contains("dataset 'persons' is not granted to this team (granted: none)", spec.CheckSummary);
    }

    [Fact]
    public async Task A_filter_with_a_syntax_error_is_reported_with_its_position_and_never_passes()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var id = await h.SubmitAsync(CheckHarness.CountByWijk(filter: "income >> 10"));
        await h.DrainAsync();

        var table = await h.FileAsync(id, "by_wijk.csv");
        Assert.NotEqual(AutomatedCheck.Pass, table.Check);
        Assert.Contains("filter", table.CheckSummary, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_microdata_file_changed_since_registration_is_a_clear_error_not_a_silent_recheck()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        await File.AppendAllTextAsync(h.Persons.FilePath, "P16,WK02,130\n", Ct);
        var id = await h.SubmitAsync(CheckHarness.CountByWijk());
        await h.DrainAsync();

        var table = await h.FileAsync(id, "by_wijk.csv");
        Assert.Equal(AutomatedCheck.Fail, table.Check);
        Assert.Contains("changed since it was registered", table.CheckSummary);
        Assert.Null(table.CheckVerdictJson);
    }

    [Fact]
    public async Task A_csv_that_is_not_utf8_and_an_svg_with_a_script_fail_and_a_csv_without_spec_goes_to_review()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var id = await h.SubmitAsync(new Dictionary<string, byte[]>
        {
            ["latin1.csv"] = [.. "wijk,value\n"u8, 0xE9, (byte)'\n'],
            ["plot.svg"] = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>fetch('x')</script></svg>"),
            ["plain.csv"] = Encoding.UTF8.GetBytes("wijk,value\nWK02,12\n"),
        });
        await h.DrainAsync();

        var latin1 = await h.FileAsync(id, "latin1.csv");
        Assert.Equal(AutomatedCheck.Fail, latin1.Check);
        Assert.Contains("not valid UTF-8", latin1.CheckSummary);
        var svg = await h.FileAsync(id, "plot.svg");
        Assert.Equal(AutomatedCheck.Fail, svg.Check);
        Assert.Contains("<script>", svg.CheckSummary);
        var plain = await h.FileAsync(id, "plain.csv");
        Assert.Equal(AutomatedCheck.Review, plain.Check);
        Assert.StartsWith("No spec: the checker must recompute this by hand", plain.CheckSummary);
    }

    [Fact]
    public async Task A_check_claimed_but_not_finished_is_taken_up_by_the_next_claim()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var id = await h.SubmitAsync(CheckHarness.CountByWijk());

        // A worker that dies after its claim: its transaction never commits.
        await using (var claim = await h.Queue.ClaimNextAsync(Ct))
        {
            Assert.NotNull(claim);
            Assert.Equal(id, claim.RequestId);
            Assert.Null(await h.Queue.ClaimNextAsync(Ct));     // held: another worker skips it
        }

        Assert.Equal(2, await h.Queue.CountPendingAsync(Ct));
        Assert.Equal(1, await h.DrainAsync());
        Assert.Equal(0, await h.Queue.CountPendingAsync(Ct));
        Assert.Equal(ReleaseState.Checked, (await h.Releases.FindAsync(id, Ct))!.Request.State);
    }

    [Fact]
    public async Task Two_workers_claim_two_different_requests()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var first = await h.SubmitAsync(CheckHarness.CountByWijk());
        var second = await h.SubmitAsync(CheckHarness.CountByWijk());

        await using var a = await h.Queue.ClaimNextAsync(Ct);
        await using var b = await h.Queue.ClaimNextAsync(Ct);

        Assert.Equal([first, second], new[] { a!.RequestId, b!.RequestId });
        Assert.Equal(2, a.FileNames.Count);
        Assert.Equal(2, b.FileNames.Count);
    }

    [Fact]
    public async Task A_version_withdrawn_before_its_check_is_discarded_unchecked()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var id = await h.SubmitAsync(CheckHarness.CountByWijk());
        await h.Releases.ChangeAsync(id, "account:a", DateTimeOffset.UtcNow, record =>
        {
            record.Request.Withdraw(DateTimeOffset.UtcNow);
            return new Data.Releases.ReleaseChange([]);
        }, Ct);

        Assert.Equal(1, await h.DrainAsync());

        var record = (await h.Releases.FindAsync(id, Ct))!;
        Assert.Equal(ReleaseState.Withdrawn, record.Request.State);
        Assert.All(record.CurrentFiles, f => Assert.Null(f.Check));
        Assert.Equal(0, await h.Queue.CountPendingAsync(Ct));
    }

    [Fact]
    public async Task After_repeated_failures_the_files_go_to_review_never_pass()
    {
        await using var h = await CheckHarness.StartAsync(postgres);
        var id = await h.SubmitAsync(CheckHarness.CountByWijk());
        for (var i = 0; i < Datakamp.Releases.RequestChecker.MaxAttempts; i++)
            await h.Queue.RecordFailureAsync(id, 1, "store unreadable", Ct);

        await h.DrainAsync();

        var table = await h.FileAsync(id, "by_wijk.csv");
        Assert.Equal(AutomatedCheck.Review, table.Check);
        Assert.Contains("failed 3 times (store unreadable)", table.CheckSummary);
    }
}
