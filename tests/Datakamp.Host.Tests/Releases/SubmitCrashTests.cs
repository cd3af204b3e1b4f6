using System.Net;
using Dapper;
using Datakamp.Docker;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// Issue 11 acceptance, crash: the real host process is killed with SIGKILL in the middle of 50 concurrent
/// submissions through the form. After a restart, and after each person whose post got no answer posts the same
/// form again (a reload: the same one-time submission key), none is lost, none is duplicated, and every pending
/// check completes.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SubmitCrashTests(PostgresFixture postgres, DockerFixture docker)
{
    private const int Submissions = 50;
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Fifty_concurrent_submissions_survive_a_sigkill_once_each_and_every_check_completes()
    {
        docker.Require();
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        TestEnvironment.RequireOrSkip(await docker.Engine.InspectImageAsync(SandboxHarness.Image, Ct) is null ? $"{SandboxHarness.Image} is not built" : null);
        using var state = new ScratchStateDirectory();
        string[] settings = [state.Setting, "--Demo:Seed=true", "--Demo:Persons=2000", "--Sandboxes:MemoryMb=768",
            $"--Storage:PoliciesDirectory={Path.Combine(TestEnvironment.RepositoryRoot, "policies")}"];
        var first = HostProcess.StartServe(settings);
        string? installation = null;
        try
        {
            await first.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            using var member = new FormClient(first.BaseUrl);
            await member.SignInAsync("noord1", PasswordOf(state, "noord1"));
            using (var started = await member.PostFormAsync("/team?handler=Start", [], "/team"))
                Assert.Contains("Your sandbox is running.", await started.Content.ReadAsStringAsync(Ct));
            string container;
            await using (var connection = new NpgsqlConnection(state.ConnectionStringFor(first)))
            {
                container = await connection.ExecuteScalarAsync<string>("SELECT s.container_name FROM sandboxes s JOIN teams t ON t.id = s.team_id WHERE t.slug = 'noord'") ?? "";
                installation = await connection.ExecuteScalarAsync<string>("SELECT id FROM installation");
            }
            var made = await docker.Engine.ExecAsync(container, new ExecSpec
            {
                Cmd = ["python3", "-c", """
                    import pandas as pd, datakamp
                    persons = pd.read_csv("/data/persons.csv", dtype=str)
                    datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", cols="age_band", name="t", description="Persons by district and age band.")
                    """],
            }, Ct);
            Assert.True(made.ExitCode == 0, made.Output.StderrText);

            var token = await member.FormTokenAsync("/team/submit");
            var keys = Enumerable.Range(0, Submissions).Select(_ => Guid.NewGuid()).ToArray();
            var answered = new bool[Submissions];
            var posts = keys.Select(async (key, i) =>
            {
                try
                {
                    using var response = await member.PostFormAsync("/team/submit", Fields(key, i), token, Ct);
                    answered[i] = response.StatusCode == HttpStatusCode.Redirect;
                }
                catch (HttpRequestException)
                {
                    // The host died under this post: the person does not know whether it landed.
                }
            }).ToList();

            // Kill the host once some posts have landed and others are in flight (the worker is checking by then).
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (answered.Count(a => a) < 10 && DateTime.UtcNow < deadline) await Task.Delay(20, Ct);
            await first.KillAsync();
            await Task.WhenAll(posts);
            var landedBeforeKill = Enumerable.Range(0, Submissions).Where(i => answered[i]).Select(i => keys[i]).ToList();
            Assert.InRange(landedBeforeKill.Count, 10, Submissions - 1);

            await using var second = HostProcess.StartServe(settings);
            await second.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            member.MoveTo(second.BaseUrl);
            // Each person without an answer reloads and posts the same form again (same key).
            for (var i = 0; i < Submissions; i++)
            {
                if (answered[i]) continue;
                using var response = await member.PostFormAsync("/team/submit", Fields(keys[i], i), token, Ct);
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }

            await using var db = new NpgsqlConnection(state.ConnectionStringFor(second));
            var stored = (await db.QueryAsync<(Guid Key, string Purpose)>("SELECT submission_key, purpose FROM release_requests")).ToList();
            Assert.Equal(Submissions, stored.Count);                                               // none duplicated
            Assert.Equal(keys.Order(), stored.Select(s => s.Key).Order());                          // none lost
            Assert.Equal(Submissions, stored.Select(s => s.Purpose).Distinct().Count());

            var checkDeadline = DateTime.UtcNow.AddSeconds(180);
            while (await db.ExecuteScalarAsync<int>("SELECT count(*)::int FROM release_requests WHERE state <> 'checked'") > 0)
            {
                Assert.True(DateTime.UtcNow < checkDeadline, "not every pending check completed within 180 s of the restart");
                await Task.Delay(250, Ct);
            }
            Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*)::int FROM release_checks WHERE done_at IS NULL"));
            Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*)::int FROM release_files WHERE check_status IS NULL"));
            // Each file was checked once: one audit event per file, one move to checked per request.
            Assert.Equal(Submissions * 3, await db.ExecuteScalarAsync<int>("SELECT count(*)::int FROM audit_events WHERE action = 'release.file_checked'"));
            Assert.Equal(Submissions, await db.ExecuteScalarAsync<int>("SELECT count(*)::int FROM audit_events WHERE action = 'release.checked'"));
        }
        finally
        {
            await first.DisposeAsync();
            if (installation is not null)
                foreach (var leftover in await docker.Engine.ListContainersAsync([$"datakamp.installation={installation}"], Ct))
                    await docker.Engine.RemoveContainerAsync(leftover.Id, force: true, removeVolumes: true, Ct);
        }
    }

    private static List<KeyValuePair<string, string>> Fields(Guid key, int i) =>
    [
        new("Purpose", $"Crash test submission {i}"),
        new("SubmissionKey", key.ToString()),
        new("Files", "t.csv"), new("Files", "t.spec.yaml"), new("Files", "t.description.txt"),
    ];

    private static string PasswordOf(ScratchStateDirectory state, string username) =>
        File.ReadLines(Path.Combine(state.Path, "demo", "accounts.txt")).Single(l => l.StartsWith($"{username} ", StringComparison.Ordinal)).Split("  ")[1];
}
