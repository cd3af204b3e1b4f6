using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Datakamp.Docker.Tests;

/// <summary>
/// A stand-in for dockerd on a unix socket of its own: records each request ("METHOD /path?query" and its body) and
/// answers from a queue of canned responses, falling back to the one given to the constructor. The client under test
/// is the real <see cref="DockerDotNetEngine"/> talking HTTP over that socket, so what is tested is what runs, library
/// included: its request shapes, and how its answers, errors, hangs and cut streams reach our types.
/// </summary>
internal sealed class FakeEngine : IAsyncDisposable
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _responses = new();
    private readonly HttpStatusCode _status;
    private readonly string _body;
    private readonly WebApplication _server;
    private readonly string _folder;
    private readonly List<DockerDotNetEngine> _clients = [];

    public FakeEngine(HttpStatusCode status = HttpStatusCode.OK, string body = "")
    {
        _status = status;
        _body = body;
        _folder = Directory.CreateTempSubdirectory("datakamp-fake-engine-").FullName;
        SocketPath = Path.Combine(_folder, "docker.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(SocketPath));
        _server = builder.Build();
        _server.Run(AnswerAsync);
        _server.StartAsync().GetAwaiter().GetResult();
    }

    public string SocketPath { get; }

    /// <summary>Every request as it arrived (method, path and query, body), in order.</summary>
    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>"METHOD /path?query" of every request, in order.</summary>
    public List<string> Lines { get; } = [];

    /// <summary>The request bodies as text, in request order (null: no body).</summary>
    public List<string?> Bodies { get; } = [];

    /// <summary>A client on this fake (disposed with it), with the request timeout given.</summary>
    public DockerDotNetEngine Client(TimeSpan? requestTimeout = null)
    {
        var client = new DockerDotNetEngine(new DockerEngineOptions { SocketPath = SocketPath, ApiVersion = "1.41", RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30) });
        _clients.Add(client);
        return client;
    }

    public FakeEngine Respond(HttpStatusCode status, string body = "", params (string Name, string Value)[] headers) =>
        Respond(status, Encoding.UTF8.GetBytes(body), headers);

    public FakeEngine Respond(HttpStatusCode status, byte[] body, params (string Name, string Value)[] headers) =>
        Respond((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body) };
            if (body.Length > 0) response.Content.Headers.TryAddWithoutValidation("Content-Type", body[0] == '{' || body[0] == '[' ? "application/json" : "application/octet-stream");
            foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
            return Task.FromResult(response);
        });

    /// <summary>Answers with headers at once and a body stream of the caller's making (slow, endless, ...).</summary>
    public FakeEngine RespondStream(HttpStatusCode status, Stream body, params (string Name, string Value)[] headers) =>
        Respond((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StreamContent(body) };
            foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
            return Task.FromResult(response);
        });

    /// <summary>Never answers: waits until the client gives up on the request.</summary>
    public FakeEngine Hang() =>
        Respond(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });

    public FakeEngine Respond(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        lock (_responses) _responses.Enqueue(respond);
        return this;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var message = new HttpRequestMessage(new HttpMethod(request.Method), "http://docker" + request.Path + request.QueryString);
        if (body.Length > 0)
        {
            message.Content = new ByteArrayContent(body.ToArray());
            if (request.ContentType is { } type) message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? respond;
        lock (_responses)
        {
            Requests.Add(message);
            Lines.Add($"{request.Method} {request.Path}{request.QueryString}");
            Bodies.Add(body.Length > 0 ? Encoding.UTF8.GetString(body.ToArray()) : null);
            _responses.TryDequeue(out respond);
        }

        using var response = respond is null
            ? new HttpResponseMessage(_status) { Content = new StringContent(_body, Encoding.UTF8, "application/json") }
            : await respond(message, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            context.Response.Headers[name] = values.ToArray();
        try
        {
            await using var content = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);   // the headers now, even if the body never comes
            var buffer = new byte[8192];
            int read;
            while ((read = await content.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away (a timeout under test)
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        foreach (var request in Requests) request.Dispose();
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2))) await _server.StopAsync(patience.Token);
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
