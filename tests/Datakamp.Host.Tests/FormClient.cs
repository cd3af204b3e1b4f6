using System.Net;
using System.Text.RegularExpressions;

namespace Datakamp.Host.Tests;

/// <summary>
/// A person's browser, minus the browser, against a real host process (<see cref="HostProcess"/>): keeps cookies, reads
/// the antiforgery token from a form page and posts forms with it. Redirects are not followed, so tests see them.
/// </summary>
internal sealed partial class FormClient : IDisposable
{
    private readonly SocketsHttpHandler _handler = new() { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
    private readonly TimeSpan _timeout;
    private HttpClient _http;

    public FormClient(string baseUrl, TimeSpan? timeout = null)
    {
        _timeout = timeout ?? TimeSpan.FromSeconds(100);
        _http = NewClient(baseUrl);
    }

    /// <summary>Points the same cookies at another address (the host restarted on a new port; cookies do not depend on the port).</summary>
    public void MoveTo(string baseUrl)
    {
        _http.Dispose();
        _http = NewClient(baseUrl);
    }

    private HttpClient NewClient(string baseUrl) => new(_handler, disposeHandler: false) { BaseAddress = new Uri(baseUrl), Timeout = _timeout };

    public HttpClient Http => _http;

    /// <summary>Signs in through the form; a team member then accepts the event's declaration through its page, as they must.</summary>
    public async Task SignInAsync(string username, string password)
    {
        using var response = await PostFormAsync("/signin", new() { ["username"] = username, ["password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await DemoHost.AcceptDeclarationAsync(_http);
    }

    /// <summary>The antiforgery token of the form on <paramref name="page"/>.</summary>
    public async Task<string> FormTokenAsync(string page)
    {
        var html = await _http.GetStringAsync(page);
        var match = AntiforgeryToken().Match(html);
        Assert.True(match.Success, $"{page} has no form with an antiforgery token");
        return match.Groups[1].Value;
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? formPage = null)
    {
        fields["__RequestVerificationToken"] = await FormTokenAsync(formPage ?? path);
        return await _http.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    /// <summary>Posts with a token already read (many posts from one open form), repeated fields allowed.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string token, CancellationToken cancellationToken) =>
        _http.PostAsync(path, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token))), cancellationToken);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }
}
