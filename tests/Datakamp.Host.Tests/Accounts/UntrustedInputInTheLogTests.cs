using System.Net;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Accounts;

/// <summary>What a stranger types is bounded before it is logged: the real host process, its real JSON log on stdout.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class UntrustedInputInTheLogTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_sign_in_with_a_one_megabyte_user_name_writes_log_lines_of_bounded_length()
    {
        TestEnvironment.RequireOrSkip(postgres.UnavailableReason);
        using var state = new ScratchStateDirectory();
        await using var host = HostProcess.StartServe(state.Setting);
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var client = new FormClient(host.BaseUrl);
        var name = "mallory\n" + new string('x', 1_000_000);

        using (var response = await client.PostFormAsync("/signin", new() { ["username"] = name, ["password"] = "not a password at all" }))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // The failed sign-in is logged once, with an excerpt of the name that says how long it was.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!host.StandardOutput.Any(l => l.Contains("Failed sign-in for", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        var line = Assert.Single(host.StandardOutput, l => l.Contains("Failed sign-in for", StringComparison.Ordinal));
        Assert.Contains("mallory\\\\nxxx", line);
        Assert.Contains("(1,000,008 characters in all)", line);
        Assert.All(host.StandardOutput.Concat(host.StandardError), l => Assert.True(l.Length < 2_000, $"a log line of {l.Length:N0} characters"));
    }
}
