using System.Net;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Accounts;

/// <summary>Who may open what: every page and the IDE path, as each role and signed out, against a table.</summary>
public sealed class AuthorizationTests(PostgresFixture postgres, DockerFixture docker)
{
    private const string SignIn = "→signin", Denied = "→denied";

    public static TheoryData<string, string, string> Table => new()
    {
        // path, who (demo account or "anonymous"), expected status or redirect
        { "/", "anonymous", "200" }, { "/healthz", "anonymous", "200" }, { "/signin", "anonymous", "200" },
        { "/team", "anonymous", SignIn }, { "/team", "anna", Denied }, { "/team", "chris", Denied }, { "/team", "noord1", "200" },
        { "/staff/sandboxes", "anonymous", SignIn }, { "/staff/sandboxes", "noord1", Denied }, { "/staff/sandboxes", "chris", Denied }, { "/staff/sandboxes", "anna", "200" },
        // The IDE of team Noord: only its members get through (its sandbox is not running here: 503); others learn nothing (404).
        { "/ide/demo/noord/tree", "anonymous", SignIn }, { "/ide/demo/noord/tree", "noord1", "503" },
        { "/ide/demo/noord/tree", "zuid1", "404" }, { "/ide/demo/noord/tree", "anna", "404" }, { "/ide/demo/noord/tree", "chris", "404" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Each_role_gets_exactly_what_the_table_says(string path, string who, string expected)
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = who == "anonymous" ? host.NewClient() : await host.SignedInAsync(who);

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        var actual = response.StatusCode == HttpStatusCode.Redirect
            ? response.Headers.Location!.OriginalString switch
            {
                var l when l.Contains("/signin") => SignIn,
                var l when l.Contains("/denied") => Denied,
                var l => $"→{l}",
            }
            : ((int)response.StatusCode).ToString();
        Assert.Equal(expected, actual);
    }
}
