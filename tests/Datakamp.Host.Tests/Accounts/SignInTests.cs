using Datakamp.Data;
using System.Net;
using Dapper;
using Datakamp.Data.Repositories;
using Datakamp.Host.Accounts;
using Datakamp.Host.Startup;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Accounts;

[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class SignInTests(PostgresFixture postgres, DockerFixture docker)
{
    [Fact]
    public async Task A_team_member_signs_in_with_the_form_and_lands_on_the_team_page()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = host.NewClient();

        using var response = await DemoHost.PostFormAsync(client, "/signin", new() { ["username"] = "noord1", ["password"] = host.PasswordOf("noord1") });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/team", response.Headers.Location!.OriginalString);
        await DemoHost.AcceptDeclarationAsync(client);   // first, as every member must (DeclarationTests)
        var team = await client.GetStringAsync("/team", TestContext.Current.CancellationToken);
        Assert.Contains("Team Noord", team);
        Assert.Contains("/data/persons.csv", team);
    }

    [Fact]
    public async Task Wrong_passwords_are_refused_without_saying_why_and_five_lock_the_account_even_for_the_right_one()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = host.NewClient();

        for (var attempt = 1; attempt <= SignInService.LockAfterFailures; attempt++)
        {
            using var wrong = await DemoHost.PostFormAsync(client, "/signin", new() { ["username"] = "zuid1", ["password"] = $"guess number {attempt}" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Username or password is wrong, or the account is locked for a while.", await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        using var right = await DemoHost.PostFormAsync(client, "/signin", new() { ["username"] = "zuid1", ["password"] = host.PasswordOf("zuid1") });
        using var unknown = await DemoHost.PostFormAsync(client, "/signin", new() { ["username"] = "nobody", ["password"] = "whatever" });

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var database = host.Factory.Services.GetRequiredService<Database>();
        await using var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var reasons = (await connection.QueryAsync<string>("SELECT details FROM audit_events WHERE action = 'account.sign_in_failed' ORDER BY seq")).ToList();
        Assert.Equal(7, reasons.Count);
        Assert.Contains("account locked", reasons[5]);
        Assert.Contains("unknown username", reasons[6]);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_token_is_refused()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = host.NewClient();

        using var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "anna", ["password"] = host.PasswordOf("anna") }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = host.NewClient();

        using var response = await DemoHost.PostFormAsync(client, "/signin",
            new() { ["username"] = "anna", ["password"] = host.PasswordOf("anna"), ["returnUrl"] = "https://evil.example/" });

        Assert.Equal("/staff/sandboxes", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_in_attempts_from_one_address_are_limited_to_ten_a_minute()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = host.NewClient();
        var statuses = new List<HttpStatusCode>();

        for (var attempt = 0; attempt < 12; attempt++)
        {
            using var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "x" }), TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(10));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task A_set_password_link_sets_the_password_once_and_then_no_longer_works()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var database = host.Factory.Services.GetRequiredService<Database>();
        var account = await new AccountRepository(database).CreateAsync("newbie", "New Member", false, true, null, TestContext.Current.CancellationToken);
        var link = await host.Factory.Services.GetRequiredService<SetPasswordLinks>().CreateAsync(account, "staff:anna", TestContext.Current.CancellationToken);
        using var client = host.NewClient();

        using var tooShort = await DemoHost.PostFormAsync(client, link, new() { ["password"] = "short", ["repeat"] = "short" });
        using var set = await DemoHost.PostFormAsync(client, link, new() { ["password"] = "a long passphrase 42", ["repeat"] = "a long passphrase 42" });
        using var again = await client.GetAsync(link, TestContext.Current.CancellationToken);
        using var signIn = await DemoHost.PostFormAsync(client, "/signin", new() { ["username"] = "newbie", ["password"] = "a long passphrase 42" });

        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains($"at least {PasswordRules.MinimumLength} characters", await tooShort.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }
}
