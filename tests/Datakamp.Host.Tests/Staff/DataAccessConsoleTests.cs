using System.Net;
using Dapper;
using Datakamp.Data;
using Datakamp.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Staff;

/// <summary>Staff register a dataset and grant and revoke it on the web, through the real host and database; bad input is named and nothing is half-created.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class DataAccessConsoleTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Staff_register_a_dataset_grant_it_until_a_day_and_revoke_it_and_bad_files_dates_and_teams_are_refused_with_nothing_written()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var anna = await host.SignedInAsync("anna");
        var demo = await ScalarAsync(host, "SELECT id FROM events WHERE slug = 'demo'");
        var folder = Directory.CreateDirectory(Path.Combine(host.StatePath, "incoming")).FullName;
        var good = Path.Combine(folder, "households.csv");
        await File.WriteAllTextAsync(good, "household_id,district,size\nh1,Noord,3\nh2,Zuid,1\n", Ct);
        var latin1 = Path.Combine(folder, "latin1.csv");
        await File.WriteAllBytesAsync(latin1, [.. "household_id,district\nh1,"u8.ToArray(), 0xE9, 0x0A], Ct);   // "é" in Latin-1: not UTF-8
        Dictionary<string, string> Register(string name, string file) => new()
        {
            ["EventId"] = $"{demo}", ["Name"] = name, ["FilePath"] = file, ["Unit"] = "household_id", ["Policy"] = "cbs-persons", ["Description"] = "Synthetic households.",
        };

        var registered = await PostAsync(anna, "/staff/datasets?handler=Register", Register("households", good), "/staff/datasets");
        var missing = await PostAsync(anna, "/staff/datasets?handler=Register", Register("ghost", Path.Combine(folder, "nothing.csv")), "/staff/datasets");
        var notUtf8 = await PostAsync(anna, "/staff/datasets?handler=Register", Register("latin", latin1), "/staff/datasets");
        var id = await ScalarAsync(host, "SELECT id FROM datasets WHERE name = 'households'");
        var noord = await ScalarAsync(host, "SELECT id FROM teams WHERE slug = 'noord' AND event_id = (SELECT id FROM events WHERE slug = 'demo')");
        var until = DateOnly.FromDateTime(DateTime.Now).AddDays(7).ToString("yyyy-MM-dd");
        var page = $"/staff/datasets/{id}";
        var past = await PostAsync(anna, $"{page}?handler=Grant", new() { ["TeamId"] = $"{noord}", ["Purpose"] = "Household size", ["Until"] = "2020-01-01" }, page);
        var granted = await PostAsync(anna, $"{page}?handler=Grant", new() { ["TeamId"] = $"{noord}", ["Purpose"] = "Household size and debt", ["Until"] = until }, page);
        await PostAsync(anna, "/staff/events?handler=Event", new() { ["Slug"] = "other", ["Name"] = "Other event", ["StartsOn"] = "2027-01-01", ["EndsOn"] = "2027-01-02", ["Checkers"] = "1" }, "/staff/events");
        var other = await ScalarAsync(host, "SELECT id FROM events WHERE slug = 'other'");
        await PostAsync(anna, "/staff/events?handler=Team", new() { ["EventId"] = $"{other}", ["Slug"] = "west", ["Name"] = "Team West" }, "/staff/events");
        var west = await ScalarAsync(host, "SELECT id FROM teams WHERE slug = 'west'");
        var foreign = await PostAsync(anna, $"{page}?handler=Grant", new() { ["TeamId"] = $"{west}", ["Purpose"] = "Anything" }, page);
        var revoked = await PostAsync(anna, $"{page}?handler=Revoke", new() { ["TeamId"] = $"{noord}", ["Reason"] = "The question is answered." }, page);

        Assert.Contains("Dataset households is registered: 3 columns, unit household_id, policy cbs-persons, SHA-256 ", registered);
        Assert.Contains($"file: There is no file {Path.Combine(folder, "nothing.csv")} on the host.", missing);
        Assert.Contains("file: The file is not UTF-8 text: save it as UTF-8 CSV.", notUtf8);
        Assert.Equal(0, await ScalarAsync(host, "SELECT count(*) FROM datasets WHERE name IN ('ghost', 'latin')"));
        Assert.Contains("is in the past", past);
        Assert.Contains("The grant is recorded.", granted);
        Assert.Contains($"<td>Team Noord</td><td>Household size and debt</td>", granted);
        Assert.Contains($"<td>{until}</td>", granted);
        Assert.Contains("team: Team West is a team of another event: a team is only granted data of its own event.", foreign);
        Assert.Contains("The grant is revoked.", revoked);
        Assert.Contains("by staff:anna: The question is answered.", revoked);
        Assert.Equal(1, await ScalarAsync(host, $"SELECT count(*) FROM dataset_grants WHERE dataset_id = {id}"));      // the refused grants wrote nothing
        Assert.Equal(3, await ScalarAsync(host, $"SELECT count(*) FROM audit_events WHERE dataset_id = {id} AND action IN ('dataset.registered', 'dataset.granted', 'dataset.grant_revoked')"));
    }

    private static async Task<string> PostAsync(HttpClient client, string path, Dictionary<string, string> fields, string formPage)
    {
        using var answer = await DemoHost.PostFormAsync(client, path, fields, formPage);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<long> ScalarAsync(DemoHost host, string sql)
    {
        await using var connection = await host.Factory.Services.GetRequiredService<Database>().DataSource.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
