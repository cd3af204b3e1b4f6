using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Admin;

/// <summary>The staff verbs, run as the real executable against the embedded database a host left behind.</summary>
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
        Assert.Equal(0, grant.Exit);
        Assert.Equal((65, "datakamp: team 'zuid' has dataset 'households' already"), (grantAgain.Exit, grantAgain.Error));
        Assert.Equal(0, account.Exit);
        Assert.Matches(@"^created account sara; one-time set-password link \(valid 72 h\): /set-password/[A-Za-z0-9_-]{43}$", account.Output);
        Assert.Equal((0, "event demo: one output checker reviews each release request"), (oneChecker.Exit, oneChecker.Output));
        Assert.Equal((64, "datakamp: --count must be 1 or 2 (got '3'): one checker, or two who review blind"), (threeCheckers.Exit, threeCheckers.Error));
        Assert.Equal(0, verify.Exit);
        Assert.StartsWith("audit trail intact: 18 events", verify.Output);   // 13 from the seed, then register, grant, account, link, checkers
    }

    [Theory]
    [InlineData("person", "cbs-persons", "--unit 'person' is not a column of people.csv (columns: person_id, income)")]
    [InlineData("person_id", "no-such-policy", null)]
    public async Task Registering_a_dataset_names_what_is_wrong_with_it(string unit, string policy, string? expectedError)
    {
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        using var state = new ScratchStateDirectory();
        var file = Path.Combine(state.Path, "people.csv");
        await File.WriteAllTextAsync(file, "person_id,income\nP1,10\n", TestContext.Current.CancellationToken);

        var result = await RunAsync("admin", "register-dataset", "--event", "demo", "--name", "people", "--file", file, "--unit", unit, "--policy", policy,
            state.Setting, $"--Storage:PoliciesDirectory={Path.Combine(TestEnvironment.RepositoryRoot, "policies")}");

        Assert.Equal(64, result.Exit);
        Assert.Equal($"datakamp: {expectedError ?? $"--policy 'no-such-policy': there is no {Path.Combine(TestEnvironment.RepositoryRoot, "policies")}/no-such-policy.yaml"}", result.Error);
    }

    /// <summary>Runs the real executable with <paramref name="args"/> and waits for it: exit code, standard output (log lines left out), standard error.</summary>
    internal static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        await using var process = HostProcess.Start(args);
        var exit = await process.WaitForExitAsync(ExitWithin);
        return (exit, string.Join("\n", process.StandardOutput.Where(l => !l.StartsWith('{'))), string.Join("\n", process.StandardError));
    }
}
