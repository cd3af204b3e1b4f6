using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Admin;

/// <summary>The staff verbs, run as the real executable against the embedded database a host left behind.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class AdminCommandTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Staff_register_a_dataset_grant_it_with_a_purpose_and_create_an_account_and_all_of_it_is_audited()
    {
        docker.Require();
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        using var state = new ScratchStateDirectory();
        await using (var host = HostProcess.StartServe(state.Setting, "--Demo:Seed=true", "--Demo:Persons=200"))
        {
            await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, await host.StopAsync());
        }
        var households = Path.Combine(state.Path, "households.csv");
        await File.WriteAllTextAsync(households, "household_id,district,size\nH1,Noord,3\nH2,Zuid,1\n", TestContext.Current.CancellationToken);
        var policies = $"--Storage:PoliciesDirectory={Path.Combine(TestEnvironment.RepositoryRoot, "policies")}";

        var register = await RunAsync("admin", "register-dataset", "--event", "demo", "--name", "households", "--file", households,
            "--unit", "household_id", "--policy", "cbs-persons", "--description", "Synthetic households", state.Setting, policies);
        var grant = await RunAsync("admin", "grant", "--event", "demo", "--dataset", "households", "--team", "zuid", "--purpose", "Household size and debt", state.Setting);
        var grantAgain = await RunAsync("admin", "grant", "--event", "demo", "--dataset", "households", "--team", "zuid", "--purpose", "again", state.Setting);
        var account = await RunAsync("admin", "create-account", "--username", "sara", "--name", "Sara", "--team", "demo/zuid", state.Setting);
        var oneChecker = await RunAsync("admin", "set-checkers", "--event", "demo", "--count", "1", state.Setting);
        var threeCheckers = await RunAsync("admin", "set-checkers", "--event", "demo", "--count", "3", state.Setting);
        var verify = await RunAsync("audit", "verify", state.Setting);

        Assert.Equal(0, register.Exit);
        Assert.StartsWith("registered dataset households of event demo: 3 columns, unit household_id, policy cbs-persons, sha256 ", register.Output);
        // Registration read the file into the columnar cache every check of it reads, in the host's state folder.
        var sha256 = System.Text.RegularExpressions.Regex.Match(register.Output, "sha256 ([0-9a-f]{64})").Groups[1].Value;
        var caches = global::Datakamp.Releases.DatasetCaches.In(state.Path);
        Assert.Equal(sha256, global::Datakamp.Disclosure.Microdata.MicrodataCacheBuilder.BuiltFrom(caches.PathOf(sha256)));
        // So did the demo seed, for its persons.
        var demoCsv = Path.Combine(state.Path, "demo", "persons.csv");
        var demoSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(demoCsv, TestContext.Current.CancellationToken)));
        Assert.Equal(demoSha, global::Datakamp.Disclosure.Microdata.MicrodataCacheBuilder.BuiltFrom(caches.PathOf(demoSha)));
        Assert.Equal(0, grant.Exit);
        Assert.Equal((65, "datakamp: --team: Team Zuid holds a grant of households in force already."), (grantAgain.Exit, grantAgain.Error));
        Assert.Equal(0, account.Exit);
        Assert.Matches(@"^created account sara; one-time set-password link \(valid 72 h\): /set-password/[A-Za-z0-9_-]{43}$", account.Output);
        Assert.Equal((0, "event demo: one output checker reviews each release request"), (oneChecker.Exit, oneChecker.Output));
        Assert.Equal((64, "datakamp: --count must be 1 or 2 (got '3'): one checker, or two who review blind"), (threeCheckers.Exit, threeCheckers.Error));
        Assert.Equal(0, verify.Exit);
        Assert.StartsWith("audit trail intact: 18 events", verify.Output);   // 13 from the seed, then register, grant, account, link, checkers
    }

    [Theory]
    [InlineData("person_id,income\nP1,10\n", "person", "cbs-persons", "--unit: 'person' is not a column of the file (columns: person_id, income).")]
    [InlineData("person_id,income\nP1,10\n", "person_id", "no-such-policy", "--policy: There is no policy 'no-such-policy' in the policies folder.")]
    [InlineData("person_id,income\nP1,caf\u00e9\n", "person_id", "cbs-persons", "--file: The file is not UTF-8 text: save it as UTF-8 CSV.")]
    [InlineData(null, "person_id", "cbs-persons", "--file: There is no file {file} on the host.")]
    public async Task Registering_a_dataset_names_the_option_that_is_wrong_and_writes_nothing(string? content, string unit, string policy, string expectedError)
    {
        await using var world = await AdminWorld.CreateAsync(postgres, "registerverb");
        var file = Path.Combine(world.Folder, "people.csv");
        // The non-UTF-8 case is written as Latin-1, as a spreadsheet saving "CSV" on some machines would.
        if (content is not null) await File.WriteAllBytesAsync(file, System.Text.Encoding.Latin1.GetBytes(content), TestContext.Current.CancellationToken);

        var result = await world.RunAsync("register-dataset", "--event", "dk", "--name", "people", "--file", file, "--unit", unit, "--policy", policy);

        Assert.Equal((65, $"datakamp: {expectedError.Replace("{file}", file)}"), (result.Exit, result.Error));
        Assert.DoesNotContain(await world.Datasets.ListAsync(world.Persons.EventId, TestContext.Current.CancellationToken),
            d => d.Name == "people");
        Assert.Empty(await world.AuditAsync());
    }

    [Fact]
    public async Task A_duplicate_account_is_refused_in_the_staff_consoles_words_and_help_is_not_an_error()
    {
        await using var world = await AdminWorld.CreateAsync(postgres, "accountverb");

        var first = await world.RunAsync("create-account", "--username", "sara", "--name", "Sara", "--team", "dk/zuid");
        var again = await world.RunAsync("create-account", "--username", "sara", "--name", "Sara again", "--checker");
        var noRole = await world.RunAsync("create-account", "--username", "piet", "--name", "Piet");
        var help = await AdminCommandTests.RunAsync("admin", "grant", "--help");

        Assert.Equal(0, first.Exit);
        Assert.Equal((65, "datakamp: --username: There is an account 'sara' already."), (again.Exit, again.Error));
        Assert.Equal((65, "datakamp: --staff, --checker or --team: An account needs a role: staff, output checker and/or member of a team."), (noRole.Exit, noRole.Error));
        Assert.Equal(0, help.Exit);
        Assert.Contains("datakamp admin grant --event E --dataset N --team T --purpose TEXT [--until YYYY-MM-DD]", help.Output);
        Assert.Equal(["account.created", "account.set_password_link_issued"], (await world.AuditAsync()).Select(a => a.Action));
    }

    /// <summary>Runs the real executable with <paramref name="args"/> and waits for it: exit code, standard output (log lines left out), standard error.</summary>
    internal static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        await using var process = HostProcess.Start(args);
        var exit = await process.WaitForExitAsync(ExitWithin);
        return (exit, string.Join("\n", process.StandardOutput.Where(l => !l.StartsWith('{'))), string.Join("\n", process.StandardError));
    }
}
