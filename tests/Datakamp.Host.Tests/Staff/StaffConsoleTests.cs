using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Datakamp.Data;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Staff;

/// <summary>Staff create events, teams and accounts on the web, through the real host and database; bad input is named on the form and nothing is half-created.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed partial class StaffConsoleTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Staff_create_an_event_and_a_team_and_duplicates_or_wrong_dates_are_refused_on_the_form_with_nothing_created()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var anna = await host.SignedInAsync("anna");

        var created = await PostAsync(anna, "/staff/events?handler=Event", new() { ["Slug"] = "dk2027", ["Name"] = "Datakamp 2027", ["StartsOn"] = "2027-03-01", ["EndsOn"] = "2027-03-03", ["Checkers"] = "2" });
        var backwards = await PostAsync(anna, "/staff/events?handler=Event", new() { ["Slug"] = "dk2028", ["Name"] = "Backwards", ["StartsOn"] = "2028-03-03", ["EndsOn"] = "2028-03-01", ["Checkers"] = "1" });
        var again = await PostAsync(anna, "/staff/events?handler=Event", new() { ["Slug"] = "dk2027", ["Name"] = "Again", ["StartsOn"] = "2027-03-01", ["EndsOn"] = "2027-03-03", ["Checkers"] = "1" });
        var eventId = await ScalarAsync(host, "SELECT id FROM events WHERE slug = 'dk2027'");
        var team = await PostAsync(anna, "/staff/events?handler=Team", new() { ["EventId"] = $"{eventId}", ["Slug"] = "oost", ["Name"] = "Team Oost" });
        var sameName = await PostAsync(anna, "/staff/events?handler=Team", new() { ["EventId"] = $"{eventId}", ["Slug"] = "oost2", ["Name"] = "team oost" });
        var sameSlug = await PostAsync(anna, "/staff/events?handler=Team", new() { ["EventId"] = $"{eventId}", ["Slug"] = "oost", ["Name"] = "Another" });

        Assert.Contains("Event 'Datakamp 2027' (dk2027) is created.", created);
        Assert.Contains("(dk2027, 2027-03-01 to 2027-03-03, 2 checkers per request)", created);
        Assert.Contains("endsOn: The last day is before the first day.", backwards);
        Assert.Contains("slug: There is an event 'dk2027' already.", again);
        Assert.Contains("Team 'Team Oost' (oost) is created.", team);
        Assert.Contains("name: This event has a team named 'team oost' already.", sameName);
        Assert.Contains("slug: This event has a team 'oost' already.", sameSlug);
        Assert.Equal(0, await ScalarAsync(host, "SELECT count(*) FROM events WHERE slug = 'dk2028'"));
        Assert.Equal(1, await ScalarAsync(host, $"SELECT count(*) FROM teams WHERE event_id = {eventId}"));
        Assert.Equal(2, await ScalarAsync(host, "SELECT count(*) FROM audit_events WHERE actor = 'staff:anna' AND action IN ('event.created', 'team.created')"));
    }

    [Fact]
    public async Task A_new_accounts_one_time_link_is_shown_once_and_works_and_bad_accounts_are_refused_on_the_form()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var anna = await host.SignedInAsync("anna");
        var noordId = await ScalarAsync(host, "SELECT t.id FROM teams t JOIN events e ON e.id = t.event_id WHERE e.slug = 'demo' AND t.slug = 'noord'");

        var created = await PostAsync(anna, "/staff/accounts", new() { ["Username"] = "sara", ["Name"] = "Sara de Vries", ["TeamId"] = $"{noordId}" });
        var twice = await PostAsync(anna, "/staff/accounts", new() { ["Username"] = "sara", ["Name"] = "Sara again", ["IsChecker"] = "true" });
        var noRole = await PostAsync(anna, "/staff/accounts", new() { ["Username"] = "tom", ["Name"] = "Tom" });
        var badName = await PostAsync(anna, "/staff/accounts", new() { ["Username"] = "Tom Jansen", ["Name"] = "Tom", ["IsStaff"] = "true" });

        var link = LinkPattern().Match(created);
        Assert.True(link.Success, "no set-password link on the answer");
        using (var setPassword = await host.NewClient().GetAsync(new Uri(link.Groups[1].Value).PathAndQuery, Ct)) Assert.Equal(HttpStatusCode.OK, setPassword.StatusCode);
        Assert.DoesNotContain("/set-password/", await anna.GetStringAsync("/staff/accounts", Ct));             // shown once
        Assert.Contains("username: There is an account 'sara' already.", twice);
        Assert.Contains("role: An account needs a role", noRole);
        Assert.Contains("username: Use 2-40 lower-case letters", badName);
        Assert.Equal(0, await ScalarAsync(host, "SELECT count(*) FROM accounts WHERE username IN ('tom', 'Tom Jansen')"));
        Assert.Equal(1, await ScalarAsync(host, "SELECT count(*) FROM audit_events WHERE action = 'account.created' AND subject_id = 'sara'"));
    }

    [Fact]
    public async Task Staff_set_an_events_sandbox_image_and_limits_and_values_out_of_range_or_an_unknown_image_change_nothing()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var anna = await host.SignedInAsync("anna");
        var demo = await ScalarAsync(host, "SELECT id FROM events WHERE slug = 'demo'");

        var saved = await PostAsync(anna, "/staff/events?handler=Sandbox", new() { ["EventId"] = $"{demo}", ["Image"] = "datakamp/r:bookworm", ["MemoryMb"] = "1024", ["Cpus"] = "1.5", ["Pids"] = "", ["WorkspaceMb"] = "512" });
        var tooSmall = await PostAsync(anna, "/staff/events?handler=Sandbox", new() { ["EventId"] = $"{demo}", ["MemoryMb"] = "16" });
        var foreignImage = await PostAsync(anna, "/staff/events?handler=Sandbox", new() { ["EventId"] = $"{demo}", ["Image"] = "evil/miner:latest" });

        Assert.Contains("The sandbox settings are saved.", saved);
        Assert.Contains("memoryMb: Memory is 256 to 262,144 MB.", tooSmall);
        Assert.Contains("image: Choose one of the analysis images", foreignImage);
        var settings = await host.Factory.Services.GetRequiredService<Data.Repositories.EventRepository>().GetSandboxSettingsAsync(demo, Ct);
        Assert.Equal(new Domain.Events.EventSandboxSettings("datakamp/r:bookworm", 1024, 1.5m, null, 512), settings);
        Assert.Equal(1, await ScalarAsync(host, "SELECT count(*) FROM audit_events WHERE action = 'event.sandbox_settings_set'"));
    }

    private static async Task<string> PostAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        using var answer = await DemoHost.PostFormAsync(client, path, fields, path.Split('?')[0]);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<long> ScalarAsync(DemoHost host, string sql)
    {
        await using var connection = await host.Factory.Services.GetRequiredService<Database>().DataSource.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [GeneratedRegex("<code id=\"set-password-link\">([^<]+)</code>")]
    private static partial Regex LinkPattern();
}
