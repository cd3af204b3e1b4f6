using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Datakamp.Docker;

/// <summary>
/// Our Docker Engine API client: HttpClient over the engine's unix socket and source-generated JSON.
/// (Written before Docker.DotNet could be restored here; <see cref="DockerDotNetEngine"/> is the same contract on that library.)
/// Every call has its own timeout: <see cref="DockerEngineOptions.RequestTimeout"/> for ordinary calls, and one
/// given per call for those that block or stream (stop, wait, logs, exec, archive; events only end on cancellation).
/// </summary>
public sealed partial class DockerEngineClient : IContainerEngine, IDisposable
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly string _socketPath;
    private readonly TimeSpan _requestTimeout;

    public DockerEngineClient(DockerEngineOptions options)
        : this(UnixSocketHttpHandler.Create(options.SocketPath), options)
    {
    }

    /// <summary>With a handler of the caller's choice: the seam for request-shape tests.</summary>
    public DockerEngineClient(HttpMessageHandler handler, DockerEngineOptions options)
    {
        _socketPath = options.SocketPath;
        _requestTimeout = options.RequestTimeout;
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri($"http://localhost/v{options.ApiVersion}/"),
            // Timeouts are ours, per call (a streaming call must outlive the short default).
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync("GET /_ping", _requestTimeout, timeoutMeansUnavailable: true, async token =>
        {
            using var response = await SendAsync(HttpMethod.Get, "_ping", null, token);
            await EnsureSuccessAsync(response, "GET /_ping", token);
            return true;
        }, cancellationToken);

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        RunAsync("GET /version", _requestTimeout, timeoutMeansUnavailable: true, async token =>
        {
            using var response = await SendAsync(HttpMethod.Get, "version", null, token);
            await EnsureSuccessAsync(response, "GET /version", token);
            return await ReadJsonAsync(response, DockerJsonContext.Default.EngineVersion, "GET /version", token);
        }, cancellationToken);

    public Task<ImageInspect?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        var path = $"images/{ImageReference(image)}/json";
        var request = $"GET /{path}";
        return RunAsync(request, _requestTimeout, false, async token =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, token);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            await EnsureSuccessAsync(response, request, token);
            return await ReadJsonAsync(response, DockerJsonContext.Default.ImageInspect, request, token);
        }, cancellationToken);
    }

    public Task<ContainerCreateResponse> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image);
        var path = spec.Name is null ? "containers/create" : $"containers/create?name={ContainerReference(spec.Name)}";
        var request = $"POST /{path}";
        return RunAsync(request, _requestTimeout, false, async token =>
        {
            using var response = await SendAsync(HttpMethod.Post, path, Json(spec, DockerJsonContext.Default.ContainerSpec), token);
            await EnsureSuccessAsync(response, request, token);
            return await ReadJsonAsync(response, DockerJsonContext.Default.ContainerCreateResponse, request, token);
        }, cancellationToken);
    }

    public Task StartContainerAsync(string container, CancellationToken cancellationToken)
    {
        var path = $"containers/{ContainerReference(container)}/start";
        return PostExpectingAsync(path, _requestTimeout, HttpStatusCode.NotModified, cancellationToken);   // 304: already started
    }

    public Task<ContainerInspect?> InspectContainerAsync(string container, CancellationToken cancellationToken)
    {
        var path = $"containers/{ContainerReference(container)}/json";
        var request = $"GET /{path}";
        return RunAsync(request, _requestTimeout, false, async token =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, token);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            await EnsureSuccessAsync(response, request, token);
            return await ReadJsonAsync(response, DockerJsonContext.Default.ContainerInspect, request, token);
        }, cancellationToken);
    }

    public Task StopContainerAsync(string container, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        var seconds = (long)Math.Ceiling(gracePeriod.TotalSeconds);
        var path = $"containers/{ContainerReference(container)}/stop?t={seconds}";
        // The engine answers only after the container has stopped: up to the grace period, then SIGKILL.
        return PostExpectingAsync(path, TimeSpan.FromSeconds(seconds) + _requestTimeout, HttpStatusCode.NotModified, cancellationToken);
    }

    public Task KillContainerAsync(string container, string signal, CancellationToken cancellationToken)
    {
        var path = $"containers/{ContainerReference(container)}/kill?signal={Signal(signal)}";
        return PostExpectingAsync(path, _requestTimeout, null, cancellationToken);
    }

    public Task RemoveContainerAsync(string container, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        var path = $"containers/{ContainerReference(container)}?force={Bool(force)}&v={Bool(removeVolumes)}";
        var request = $"DELETE /{path}";
        return RunAsync(request, _requestTimeout, false, async token =>
        {
            using var response = await SendAsync(HttpMethod.Delete, path, null, token);
            if (response.StatusCode == HttpStatusCode.NotFound) return true;   // already gone
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                var message = ExtractMessage(await response.Content.ReadAsStringAsync(token));
                if (message.Contains("already in progress", StringComparison.OrdinalIgnoreCase)) return true;   // being removed
                throw new DockerApiException(response.StatusCode, message, request);
            }
            await EnsureSuccessAsync(response, request, token);
            return true;
        }, cancellationToken);
    }

    public Task<ContainerWaitResult> WaitContainerAsync(string container, WaitCondition condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var conditionName = condition switch
        {
            WaitCondition.NotRunning => "not-running",
            WaitCondition.NextExit => "next-exit",
            WaitCondition.Removed => "removed",
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, null),
        };
        var path = $"containers/{ContainerReference(container)}/wait?condition={conditionName}";
        var request = $"POST /{path}";
        return RunAsync(request, timeout, false, async token =>
        {
            // The engine sends the headers at once and the body when the condition holds.
            using var response = await SendAsync(HttpMethod.Post, path, null, token, HttpCompletionOption.ResponseHeadersRead);
            await EnsureSuccessAsync(response, request, token);
            return await ReadJsonAsync(response, DockerJsonContext.Default.ContainerWaitResult, request, token);
        }, cancellationToken);
    }

    public Task<ContainerOutput> GetContainerLogsAsync(string container, LogsOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var query = new StringBuilder($"containers/{ContainerReference(container)}/logs?stdout={Bool(options.Stdout)}&stderr={Bool(options.Stderr)}");
        query.Append(CultureInfo.InvariantCulture, $"&timestamps={Bool(options.Timestamps)}&tail={(options.Tail is { } tail ? tail.ToString(CultureInfo.InvariantCulture) : "all")}");
        if (options.Since is { } since) query.Append(CultureInfo.InvariantCulture, $"&since={UnixSeconds(since)}");
        var path = query.ToString();
        var request = $"GET /{path}";
        return RunAsync(request, options.Timeout, false, async token =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, token, HttpCompletionOption.ResponseHeadersRead);
            await EnsureSuccessAsync(response, request, token);
            await using var stream = await response.Content.ReadAsStreamAsync(token);
            return await MultiplexedStreamDecoder.ReadAsync(stream, options.MaxBytes, drain: false, token);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var path = "containers/json?all=true";
        if (labels.Count > 0) path += "&filters=" + Filters(("label", labels));
        var request = $"GET /{path}";
        return RunAsync<IReadOnlyList<ContainerSummary>>(request, _requestTimeout, false, async token =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, token);
            await EnsureSuccessAsync(response, request, token);
            return await ReadJsonAsync(response, DockerJsonContext.Default.ListContainerSummary, request, token);
        }, cancellationToken);
    }

    public Task<ExecResult> ExecAsync(string container, ExecSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Cmd.Count == 0) throw new ArgumentException("an exec needs a command", nameof(spec));
        var createPath = $"containers/{ContainerReference(container)}/exec";
        var request = $"POST /{createPath}";
        return RunAsync(request, spec.Timeout, false, async token =>
        {
            var body = new ExecCreateBody(false, true, true, false, spec.Cmd, spec.Env, spec.User, spec.WorkingDir);
            string execId;
            using (var created = await SendAsync(HttpMethod.Post, createPath, Json(body, DockerJsonContext.Default.ExecCreateBody), token))
            {
                await EnsureSuccessAsync(created, request, token);
                execId = (await ReadJsonAsync(created, DockerJsonContext.Default.IdResponse, request, token)).Id;
            }
            if (!HexId().IsMatch(execId)) throw new DockerApiException(HttpStatusCode.Created, $"unexpected exec id '{execId}'", request);

            var startPath = $"exec/{execId}/start";
            ContainerOutput output;
            using (var started = await SendAsync(HttpMethod.Post, startPath, Json(new ExecStartBody(false, false), DockerJsonContext.Default.ExecStartBody), token, HttpCompletionOption.ResponseHeadersRead))
            {
                await EnsureSuccessAsync(started, $"POST /{startPath}", token);
                await using var stream = await started.Content.ReadAsStreamAsync(token);
                // Drain past the cap: a process blocked on a full pipe would never exit.
                output = await MultiplexedStreamDecoder.ReadAsync(stream, spec.MaxOutputBytes, drain: true, token);
            }

            // The stream ends when the process closes its output; the exit code is recorded a moment later.
            var inspectPath = $"exec/{execId}/json";
            for (var delay = 5; ; delay = Math.Min(delay * 2, 200))
            {
                using var inspected = await SendAsync(HttpMethod.Get, inspectPath, null, token);
                await EnsureSuccessAsync(inspected, $"GET /{inspectPath}", token);
                var state = await ReadJsonAsync(inspected, DockerJsonContext.Default.ExecInspect, $"GET /{inspectPath}", token);
                if (!state.Running && state.ExitCode is { } exitCode) return new ExecResult(exitCode, output);
                await Task.Delay(delay, token);
            }
        }, cancellationToken);
    }

    public async Task<ContainerArchive> GetArchiveAsync(string container, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/') || path.Contains('\0'))
            throw new ArgumentException($"an absolute path in the container is required (got '{path}')", nameof(path));
        var requestPath = $"containers/{ContainerReference(container)}/archive?path={Uri.EscapeDataString(path)}";
        var request = $"GET /{requestPath}";

        // Not RunAsync: the timeout must outlive this method and cover the caller's reading of the tar.
        var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(timeout);
        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(HttpMethod.Get, requestPath, null, call.Token, HttpCompletionOption.ResponseHeadersRead);
            await EnsureSuccessAsync(response, request, call.Token);
            var stat = DecodePathStat(response, request);
            var tar = new TimeoutGuardedStream(await response.Content.ReadAsStreamAsync(call.Token), call, cancellationToken, request, timeout);
            var abort = call.Token.Register(static state => ((HttpResponseMessage)state!).Dispose(), response);
            return new ContainerArchive(stat, tar, new Both(response, new Both(abort, call)));
        }
        catch (Exception e)
        {
            response?.Dispose();
            var timedOut = call.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
            call.Dispose();
            if (Translate(e, request, timeout, timedOut, false) is { } translated) throw translated;
            throw;
        }
    }

    public async IAsyncEnumerable<EngineEvent> StreamEventsAsync(EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var path = new StringBuilder("events");
        var separator = '?';
        if (filter.Since is { } since) { path.Append(CultureInfo.InvariantCulture, $"{separator}since={UnixSeconds(since)}"); separator = '&'; }
        if (filter.Until is { } until) { path.Append(CultureInfo.InvariantCulture, $"{separator}until={UnixSeconds(until)}"); separator = '&'; }
        var filters = new List<(string, IReadOnlyCollection<string>)>();
        if (filter.Types.Count > 0) filters.Add(("type", filter.Types));
        if (filter.Actions.Count > 0) filters.Add(("event", filter.Actions));
        if (filter.Containers.Count > 0) filters.Add(("container", filter.Containers));
        if (filter.Labels.Count > 0) filters.Add(("label", filter.Labels));
        if (filters.Count > 0) path.Append(CultureInfo.InvariantCulture, $"{separator}filters={Filters([.. filters])}");
        var requestPath = path.ToString();
        var request = $"GET /{requestPath}";

        // The request timeout covers the headers only; the stream then runs until Until or cancellation.
        using var response = await RunAsync(request, _requestTimeout, false, async token =>
        {
            var opened = await SendAsync(HttpMethod.Get, requestPath, null, token, HttpCompletionOption.ResponseHeadersRead);
            try
            {
                await EnsureSuccessAsync(opened, request, token);
                return opened;
            }
            catch
            {
                opened.Dispose();
                throw;
            }
        }, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0) continue;
            var engineEvent = JsonSerializer.Deserialize(line, DockerJsonContext.Default.EngineEvent);
            if (engineEvent is not null) yield return engineEvent;
        }
    }

    public Task<ContainerResourceUsage> GetResourceUsageAsync(string container, CancellationToken cancellationToken)
    {
        // one-shot (API 1.41+): no second sample for precpu_stats, so ~30 ms instead of 1-2 s; we report totals only.
        var path = $"containers/{ContainerReference(container)}/stats?stream=false&one-shot=true";
        var request = $"GET /{path}";
        return RunAsync(request, _requestTimeout, false, async token =>
        {
            using var response = await SendAsync(HttpMethod.Get, path, null, token);
            await EnsureSuccessAsync(response, request, token);
            var stats = await ReadJsonAsync(response, DockerJsonContext.Default.StatsResponse, request, token);
            return new ContainerResourceUsage(
                stats.Read,
                stats.CpuStats?.CpuUsage?.TotalUsage ?? 0,
                stats.MemoryStats?.Usage ?? 0,
                stats.MemoryStats?.MaxUsage,
                stats.MemoryStats?.Stats is { } memory && memory.TryGetValue("cache", out var cache) ? cache : null,
                stats.MemoryStats?.Limit,
                stats.PidsStats?.Current ?? 0,
                stats.PidsStats?.Limit);
        }, cancellationToken);
    }

    private Task PostExpectingAsync(string path, TimeSpan timeout, HttpStatusCode? alsoSuccess, CancellationToken cancellationToken)
    {
        var request = $"POST /{path}";
        return RunAsync(request, timeout, false, async token =>
        {
            using var response = await SendAsync(HttpMethod.Post, path, null, token);
            if (response.StatusCode == alsoSuccess) return true;
            await EnsureSuccessAsync(response, request, token);
            return true;
        }, cancellationToken);
    }

    /// <summary>Runs one call under its own timeout and maps transport failures to our exceptions.</summary>
    private Task<T> RunAsync<T>(string request, TimeSpan timeout, bool timeoutMeansUnavailable,
        Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        EngineCalls.RunAsync(timeout, call, (e, timedOut) => Translate(e, request, timeout, timedOut, timeoutMeansUnavailable), cancellationToken);

    private Exception? Translate(Exception e, string request, TimeSpan timeout, bool timedOut, bool timeoutMeansUnavailable) =>
        EngineCalls.TranslateTransport(e, (e as HttpRequestException)?.InnerException as SocketException, _socketPath, request, timeout, timedOut, timeoutMeansUnavailable);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        _http.SendAsync(new HttpRequestMessage(method, path) { Content = content }, completion, cancellationToken);

    private static ByteArrayContent Json<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        // Serialised up front: a Content-Length body, and exactly the bytes a test can compare.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, string request, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken)
                ?? throw new DockerApiException(response.StatusCode, "empty body", request);
        }
        catch (JsonException e)
        {
            throw new DockerApiException(response.StatusCode, $"unreadable answer: {e.Message}", request);
        }
    }

    private static ContainerPathStat DecodePathStat(HttpResponseMessage response, string request)
    {
        if (!response.Headers.TryGetValues("X-Docker-Container-Path-Stat", out var values))
            throw new DockerApiException(response.StatusCode, "no X-Docker-Container-Path-Stat header", request);
        try
        {
            var json = Convert.FromBase64String(values.First());
            return JsonSerializer.Deserialize(json, DockerJsonContext.Default.ContainerPathStat)
                ?? throw new DockerApiException(response.StatusCode, "empty X-Docker-Container-Path-Stat header", request);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new DockerApiException(response.StatusCode, $"unreadable X-Docker-Container-Path-Stat header: {e.Message}", request);
        }
    }

    private static string Filters(params (string Key, IReadOnlyCollection<string> Values)[] filters)
    {
        var map = new Dictionary<string, List<string>>();
        foreach (var (key, values) in filters)
        {
            foreach (var value in values)
                if (string.IsNullOrEmpty(value)) throw new ArgumentException($"empty {key} filter");
            map[key] = [.. values];
        }
        return Uri.EscapeDataString(JsonSerializer.Serialize(map, DockerJsonContext.Default.DictionaryStringListString));
    }

    /// <summary>The container reference if it is an id or a name; shared with <see cref="DockerDotNetEngine"/>.</summary>
    internal static string ContainerReference(string container)
    {
        // Ids and names only: anything else could walk the URL path (e.g. "../images/x").
        if (string.IsNullOrEmpty(container) || container.Length > 255 || !ContainerName().IsMatch(container))
            throw new ArgumentException($"not a container id or name: '{container}'", nameof(container));
        return container;
    }

    internal static string ImageReference(string image)
    {
        if (string.IsNullOrEmpty(image) || image.Length > 512 || !image.Split('/').All(ImageSegment().IsMatch))
            throw new ArgumentException($"not an image reference: '{image}'", nameof(image));
        return image;
    }

    internal static string Signal(string signal)
    {
        if (string.IsNullOrEmpty(signal) || !SignalName().IsMatch(signal))
            throw new ArgumentException($"not a signal name or number: '{signal}'", nameof(signal));
        return signal;
    }

    private static string Bool(bool value) => value ? "true" : "false";

    internal static string UnixSeconds(DateTimeOffset at)
    {
        var ticks = (at - DateTimeOffset.UnixEpoch).Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        return rest == 0 ? seconds.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{seconds}.{rest * 100:D9}");
    }

    internal static string DescribeSocketError(SocketException e) => e.SocketErrorCode switch
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

    internal static string ExtractMessage(string body)
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

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex ContainerName();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.:@-]*$")]
    private static partial Regex ImageSegment();

    [GeneratedRegex("^(SIG[A-Z0-9+-]+|[A-Z0-9+-]+|[0-9]{1,2})$")]
    private static partial Regex SignalName();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexId();

    internal sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
