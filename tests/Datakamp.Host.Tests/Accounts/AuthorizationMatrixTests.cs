using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Datakamp.Host.Tests.Releases;
using Datakamp.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Host.Tests.Accounts;

/// <summary>
/// Every route and form handler of the running app against every role, in one table. The endpoints are read from the app
/// itself, so a new route or handler without a row fails <see cref="Every_endpoint_of_the_running_app_has_exactly_one_row"/>.
/// POST handlers are called with a valid form token of the caller's own session, so what is tested is authorization,
/// not the token check.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed partial class AuthorizationMatrixTests(PostgresFixture postgres, DockerFixture docker)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>The roles, in the order of the letters in <see cref="Matrix"/>.</summary>
    private static readonly string[] Roles = ["signed out", "member of Noord", "member of Zuid", "checker", "checker in Noord", "staff"];

    /// <summary>
    /// What each role gets, one letter per role in the order of <see cref="Roles"/>:
    /// A allowed (the handler ran: a page, a redirect of its own, a refusal in words, the sign-in form's 401), S sent to sign in,
    /// D denied (403), N not found (the same answer as for something that does not exist: nothing is learned).
    /// Request #R is Noord's published request; Noord's sandbox is not running when the IDE row is tried.
    /// </summary>
    private static readonly Dictionary<string, string> Matrix = new()
    {
        //                                                          out Nrd Zd Chk ChN Stf
        ["GET /"] =                                                  "AAAAAA",
        ["ANY /healthz"] =                                           "AAAAAA",
        ["ANY /readyz"] =                                            "AAAAAA",
        ["GET /signin"] =                                            "AAAAAA",
        ["POST /signin"] =                                           "AAAAAA",
        ["GET /signout"] =                                           "AAAAAA",
        ["POST /signout"] =                                          "AAAAAA",
        ["GET /set-password/{token}"] =                              "NNNNNN",   // an unknown link: not found, for everyone
        ["POST /set-password/{token}"] =                             "AAAAAA",
        ["GET /denied"] =                                            "DDDDDD",   // the access-denied page itself answers 403
        ["GET /declaration"] =                                       "SAADAD",   // members only: staff and checkers sign none
        ["POST /declaration"] =                                      "SAADAD",
        ["GET /team"] =                                              "SAADAD",
        ["POST /team Start"] =                                       "SAADAD",
        ["POST /team Restart"] =                                     "SAADAD",
        ["POST /team Stop"] =                                        "SAADAD",
        ["GET /team/submit"] =                                       "SAADAD",
        ["POST /team/submit"] =                                      "SAADAD",
        ["GET /team/requests"] =                                     "SAADAD",
        ["GET /team/requests/{id:long}"] =                           "SANDAD",
        ["POST /team/requests/{id:long} Withdraw"] =                 "SANDAD",
        ["POST /team/requests/{id:long} Resubmit"] =                 "SANDAD",
        ["GET /checker"] =                                           "SDDAAD",
        ["GET /checker/requests/{id:long}"] =                        "SDDADD",
        ["GET /checker/requests/{id:long} File"] =                   "SDDADD",
        ["POST /checker/requests/{id:long} Vote"] =                  "SDDADD",
        ["GET /staff/sandboxes"] =                                   "SDDDDA",
        ["POST /staff/sandboxes Start"] =                            "SDDDDA",
        ["POST /staff/sandboxes Stop"] =                             "SDDDDA",
        ["POST /staff/sandboxes Restart"] =                          "SDDDDA",
        ["POST /staff/sandboxes Reset"] =                            "SDDDDA",
        ["GET /staff/datasets/{id:long?}"] =                         "SDDDDA",
        ["POST /staff/datasets/{id:long?} Register"] =               "SDDDDA",
        ["POST /staff/datasets/{id:long?} Grant"] =                  "SDDDDA",
        ["POST /staff/datasets/{id:long?} Revoke"] =                 "SDDDDA",
        ["GET /staff/events"] =                                      "SDDDDA",
        ["POST /staff/events Event"] =                               "SDDDDA",
        ["POST /staff/events Team"] =                                "SDDDDA",
        ["POST /staff/events Sandbox"] =                             "SDDDDA",
        ["GET /staff/accounts"] =                                    "SDDDDA",
        ["POST /staff/accounts"] =                                   "SDDDDA",
        ["GET /staff/publications"] =                                "SDDDDA",
        ["POST /staff/publications Revoke"] =                        "SDDDDA",
        ["GET /staff/audit"] =                                       "SDDDDA",
        ["GET /staff/audit Csv"] =                                   "SDDDDA",
        ["GET /me/activity"] =                                       "SAAAAA",   // everyone signed in: their own activity
        ["GET /presentation"] =                                      "SAAAAA",
        ["GET /presentation/{eventSlug}"] =                          "SAAAAA",
        ["GET /presentation/{eventSlug}/teams/{teamSlug}"] =         "SAAAAA",
        ["GET /presentation/{eventSlug}/teams/{teamSlug}/files/{requestId:long}/{name}"] = "SAAAAA",
        ["GET /presentation/{eventSlug}/show/{position:int}"] =      "SAAAAA",
        ["GET /presentation/{eventSlug}/bundle/{teamSlug?}"] =       "SAAAAA",
        ["GET /register/{eventSlug}"] =                              "AAAAAA",   // the public data-use register
        ["ANY /ide/{eventSlug}/{team}/{**rest}"] =                   "SANNAN",
    };

    /// <summary>The concrete address for a route: demo event, team Noord, request #R, its file note.txt.</summary>
    private static string PathOf(string route, long request) => route
        .Replace("{id:long?}", "1", StringComparison.Ordinal)
        .Replace("{id:long}", request.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{requestId:long}", request.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{eventSlug}", "demo", StringComparison.Ordinal)
        .Replace("{teamSlug?}", "noord", StringComparison.Ordinal)
        .Replace("{teamSlug}", "noord", StringComparison.Ordinal)
        .Replace("{team}", "noord", StringComparison.Ordinal)
        .Replace("{name}", "note.txt", StringComparison.Ordinal)
        .Replace("{position:int}", "1", StringComparison.Ordinal)
        .Replace("{token}", "not-a-real-token", StringComparison.Ordinal)
        .Replace("{**rest}", "tree", StringComparison.Ordinal);

    [Fact]
    public async Task Every_endpoint_of_the_running_app_has_exactly_one_row()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);

        var endpoints = EndpointsOf(host);

        Assert.Equal([], Unlisted(endpoints));
        Assert.Equal([], Matrix.Keys.Except(endpoints).Order(StringComparer.Ordinal));   // no row for a route that no longer exists
    }

    [Fact]
    public void A_new_route_without_a_row_is_reported()
    {
        Assert.Equal(["POST /team/requests/{id:long} Delete"], Unlisted([.. Matrix.Keys, "POST /team/requests/{id:long} Delete"]));
    }

    [Fact]
    public async Task Every_role_gets_what_the_matrix_says_on_every_endpoint()
    {
        await using var host = await DemoHost.StartAsync(postgres, docker);
        var request = await PublishedRequests.NoteAsync(host, "Mean income by district: all cells of 10 or more.\n");
        var clients = new[]
        {
            host.NewClient(), await host.SignedInAsync("noord1"), await host.SignedInAsync("zuid1"), await host.SignedInAsync("chris"),
            await ReviewThroughTheHostTests.SignedInNewCheckerOfNoordAsync(host), await host.SignedInAsync("anna"),
        };
        // Each session's own form token: from the sign-in form when signed out, from the layout's sign-out form otherwise.
        var tokens = new List<string>();
        foreach (var (client, i) in clients.Select((c, i) => (c, i)))
            tokens.Add(DemoHost.FormToken(await client.GetStringAsync(i == 0 ? "/signin" : "/presentation/demo", Ct)));

        var mismatches = new List<string>();
        // Signing out last: it ends the session the other rows need.
        foreach (var (key, expected) in Matrix.OrderBy(row => row.Key.EndsWith(" /signout", StringComparison.Ordinal)))
        {
            var (method, route, handler) = Parse(key);
            for (var role = 0; role < Roles.Length; role++)
            {
                var actual = await OutcomeAsync(clients[role], method, PathOf(route, request), handler, tokens[role]);
                if (actual != expected[role]) mismatches.Add($"{key} as {Roles[role]}: expected {expected[role]}, got {actual}");
            }
        }
        foreach (var client in clients) client.Dispose();

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static async Task<char> OutcomeAsync(HttpClient client, string method, string path, string? handler, string token)
    {
        var address = handler is null ? path : $"{path}{(path.Contains('?') ? '&' : '?')}handler={handler}";
        if (handler == "File") address += "&name=note.txt";
        using var message = new HttpRequestMessage(method == "POST" ? HttpMethod.Post : HttpMethod.Get, address);
        if (method == "POST") message.Content = new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", token)]);
        using var response = await client.SendAsync(message, Ct);
        return response.StatusCode switch
        {
            // The cookie scheme's challenge carries where to come back to; a page's own redirect to /signin does not.
            HttpStatusCode.Redirect or HttpStatusCode.Found when response.Headers.Location!.OriginalString.Contains("/signin?ReturnUrl=", StringComparison.Ordinal) => 'S',
            HttpStatusCode.Redirect or HttpStatusCode.Found when response.Headers.Location!.OriginalString.Contains("/denied", StringComparison.Ordinal) => 'D',
            HttpStatusCode.Forbidden => 'D',
            HttpStatusCode.NotFound => 'N',
            HttpStatusCode.BadRequest => '?',   // a form token refused: the row would test the token, not the role
            _ => 'A',
        };
    }

    private static (string Method, string Route, string? Handler) Parse(string key)
    {
        var parts = key.Split(' ');
        return (parts[0], parts[1], parts.Length > 2 ? parts[2] : null);
    }

    private static List<string> Unlisted(IEnumerable<string> endpoints) => endpoints.Where(e => !Matrix.ContainsKey(e)).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// "METHOD route [handler]" for every endpoint of the app: mapped routes with their methods (ANY when they take all),
    /// and for every Razor page each of its model's handler methods (OnGet, OnPostVote, ...).
    /// </summary>
    private static List<string> EndpointsOf(DemoHost host)
    {
        var models = typeof(Program).Assembly.GetCustomAttributes<RazorCompiledItemAttribute>()
            .Where(item => item.Kind == "mvc.1.0.razor-page")
            .ToDictionary(item => item.Identifier, item => item.Type.GetProperty("Model")?.PropertyType, StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var endpoint in host.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var model = models.GetValueOrDefault(page.RelativePath);
                keys.AddRange(model is null || !typeof(PageModel).IsAssignableFrom(model)
                    ? [$"GET {route}"]
                    : HandlersOf(model).Select(h => $"{h.Method} {route}{(h.Handler.Length > 0 ? " " + h.Handler : "")}"));
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            keys.AddRange(methods is { Count: > 0 } ? methods.Where(m => m != "HEAD").Select(m => $"{m} {route}") : [$"ANY {route}"]);
        }
        return keys.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<(string Method, string Handler)> HandlersOf(Type model) =>
        model.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(m => HandlerName().Match(m.Name))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value.ToUpperInvariant(), m.Groups[2].Value))
            .Distinct();

    [GeneratedRegex("^On(Get|Post|Put|Delete|Patch)(.*?)(Async)?$")]
    private static partial Regex HandlerName();
}
