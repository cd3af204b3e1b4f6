using System.Net;
using System.Net.Http.Headers;
using Datakamp.Host.Accounts;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Startup;

/// <summary>People get error pages in words; programs get problem+json; nobody gets a stack trace.</summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class ErrorPagesTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task A_page_that_does_not_exist_is_a_page_in_words_for_a_browser_and_problem_json_for_a_program()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = host.NewClient();

        using var page = await client.SendAsync(Request(HttpMethod.Get, "/no/such/page", "text/html,application/xhtml+xml,*/*;q=0.8"), Ct);
        using var api = await client.SendAsync(Request(HttpMethod.Get, "/no/such/page", "application/json"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("There is no such page.", await page.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_form_posted_without_its_token_is_a_400_page_that_says_to_reload()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = host.NewClient();
        var request = Request(HttpMethod.Post, "/signin", "text/html");
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "noord1", ["password"] = "x" });

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("reload the page and try again", html);
        Assert.DoesNotContain("Exception", html);
    }

    [Fact]
    public async Task Too_many_sign_in_attempts_are_a_429_page_in_words()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        using var client = host.NewClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i <= AccountsSetup.SignInAttemptsPerMinute; i++)
        {
            last?.Dispose();
            var token = await FormToken(client);
            var request = Request(HttpMethod.Post, "/signin", "text/html");
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "zuid1", ["password"] = $"guess {i}", ["__RequestVerificationToken"] = token });
            last = await client.SendAsync(request, Ct);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.Equal("text/html", last.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Too many attempts from your address", await last.Content.ReadAsStringAsync(Ct));
        last.Dispose();
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string accept)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd(accept);
        return request;
    }

    private static async Task<string> FormToken(HttpClient client)
    {
        var page = await client.GetStringAsync("/signin", Ct);
        return System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    }
}
