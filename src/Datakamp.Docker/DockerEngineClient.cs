using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Datakamp.Docker;

/// <summary>
/// Our Docker Engine API client: HttpClient over the engine's unix socket and source-generated JSON.
/// (Docker.DotNet cannot be restored on these machines; this covers exactly what we use.)
/// </summary>
public sealed class DockerEngineClient : IContainerEngine, IDisposable
{
    private readonly HttpClient _http;
    private readonly string _socketPath;

    public DockerEngineClient(DockerEngineOptions options)
        : this(UnixSocketHttpHandler.Create(options.SocketPath), options)
    {
    }

    /// <summary>With a handler of the caller's choice: the seam for request-shape tests.</summary>
    public DockerEngineClient(HttpMessageHandler handler, DockerEngineOptions options)
    {
        _socketPath = options.SocketPath;
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://localhost/v{options.ApiVersion}/"),
            Timeout = options.RequestTimeout,
        };
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "_ping", cancellationToken);
        await EnsureSuccessAsync(response, "GET /_ping", cancellationToken);
    }

    public async Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, "version", cancellationToken);
        await EnsureSuccessAsync(response, "GET /version", cancellationToken);
        return await response.Content.ReadFromJsonAsync(DockerJsonContext.Default.EngineVersion, cancellationToken)
            ?? throw new DockerApiException(response.StatusCode, "empty body", "GET /version");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(new HttpRequestMessage(method, path), cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socketError)
        {
            throw new DockerEngineUnavailableException(_socketPath, DescribeSocketError(socketError), e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DockerEngineUnavailableException(_socketPath, $"no answer within {_http.Timeout.TotalSeconds:0} s", e);
        }
    }

    private static string DescribeSocketError(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => "the socket file does not exist",
        SocketError.ConnectionRefused => "nothing is listening (is dockerd running?)",
        SocketError.AccessDenied => "permission denied on the socket",
        _ => e.Message,
    };

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string request, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new DockerApiException(response.StatusCode, ExtractMessage(body), request);
    }

    private static string ExtractMessage(string body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, DockerJsonContext.Default.EngineError)?.Message ?? body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    public void Dispose() => _http.Dispose();
}
