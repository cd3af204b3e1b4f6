using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using static Datakamp.Docker.DockerDotNetMapping;
using DockerClient = Docker.DotNet.DockerClient;
using DockerClientConfiguration = Docker.DotNet.DockerClientConfiguration;
using Lib = Docker.DotNet.Models;
using LibraryApiException = Docker.DotNet.DockerApiException;
using MultiplexedStream = Docker.DotNet.MultiplexedStream;

namespace Datakamp.Docker;

/// <summary>
/// <see cref="IContainerEngine"/> on the Docker.DotNet library: references checked before anything is sent, the three
/// exceptions of the interface, output caps and a timeout on every call. Our models stay at the seam;
/// <see cref="DockerDotNetMapping"/> translates them. The library's own default timeout is switched off: every call
/// runs under ours.
/// </summary>
public sealed class DockerDotNetEngine : IContainerEngine, IDisposable
{
    private readonly DockerClientConfiguration _configuration;
    private readonly DockerClient _client;
    private readonly string _socketPath;
    private readonly TimeSpan _requestTimeout;

    public DockerDotNetEngine(DockerEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _socketPath = options.SocketPath;
        _requestTimeout = options.RequestTimeout;
        _configuration = new DockerClientConfiguration(new Uri($"unix://{options.SocketPath}"), defaultTimeout: Timeout.InfiniteTimeSpan);
        _client = _configuration.CreateClient(Version.Parse(options.ApiVersion));
    }

    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync("GET /_ping", _requestTimeout, timeoutMeansUnavailable: true, async token =>
        {
            await _client.System.PingAsync(token);
            return true;
        }, cancellationToken);

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        RunAsync("GET /version", _requestTimeout, timeoutMeansUnavailable: true,
            async token => FromLibrary(await _client.System.GetVersionAsync(token)), cancellationToken);

    public Task<ImageInspect?> InspectImageAsync(string image, CancellationToken cancellationToken)
    {
        var name = EngineReferences.Image(image);
        return RunAsync($"GET /images/{name}/json", _requestTimeout, false,
            token => NullWhenMissingAsync(async () => FromLibrary(await _client.Images.InspectImageAsync(name, token))), cancellationToken);
    }

    public Task<ContainerCreateResponse> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image);
        if (spec.Name is not null) EngineReferences.Container(spec.Name);
        var parameters = ToLibrary(spec);
        return RunAsync($"POST /containers/create{(spec.Name is null ? "" : $"?name={spec.Name}")}", _requestTimeout, false, async token =>
        {
            var created = await _client.Containers.CreateContainerAsync(parameters, token);
            return new ContainerCreateResponse(created.ID, created.Warnings?.ToList());
        }, cancellationToken);
    }

    public Task StartContainerAsync(string container, CancellationToken cancellationToken)
    {
        var id = EngineReferences.Container(container);
        // The library answers false for 304 (already started): success for us too.
        return RunAsync($"POST /containers/{id}/start", _requestTimeout, false,
            token => _client.Containers.StartContainerAsync(id, new Lib.ContainerStartParameters(), token), cancellationToken);
    }

    public Task<ContainerInspect?> InspectContainerAsync(string container, CancellationToken cancellationToken)
    {
        var id = EngineReferences.Container(container);
        return RunAsync($"GET /containers/{id}/json", _requestTimeout, false,
            token => NullWhenMissingAsync(async () => FromLibrary(await _client.Containers.InspectContainerAsync(id, token))), cancellationToken);
    }

    public Task StopContainerAsync(string container, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        var id = EngineReferences.Container(container);
        var seconds = (uint)Math.Ceiling(gracePeriod.TotalSeconds);
        var parameters = new Lib.ContainerStopParameters { WaitBeforeKillSeconds = seconds };
        // The engine answers once the container has stopped (grace period, then SIGKILL); false means 304, already stopped.
        return RunAsync($"POST /containers/{id}/stop?t={seconds}", TimeSpan.FromSeconds(seconds) + _requestTimeout, false,
            token => _client.Containers.StopContainerAsync(id, parameters, token), cancellationToken);
    }

    public Task KillContainerAsync(string container, string signal, CancellationToken cancellationToken)
    {
        var id = EngineReferences.Container(container);
        var parameters = new Lib.ContainerKillParameters { Signal = EngineReferences.Signal(signal) };
        return RunAsync($"POST /containers/{id}/kill?signal={signal}", _requestTimeout, false, async token =>
        {
            await _client.Containers.KillContainerAsync(id, parameters, token);
            return true;
        }, cancellationToken);
    }

    public Task RemoveContainerAsync(string container, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        var id = EngineReferences.Container(container);
        var parameters = new Lib.ContainerRemoveParameters { Force = force, RemoveVolumes = removeVolumes };
        return RunAsync($"DELETE /containers/{id}", _requestTimeout, false, async token =>
        {
            try
            {
                await _client.Containers.RemoveContainerAsync(id, parameters, token);
            }
            catch (LibraryApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // already gone
            }
            catch (LibraryApiException e) when (e.StatusCode == HttpStatusCode.Conflict
                && EngineCalls.ExtractMessage(e.ResponseBody).Contains("already in progress", StringComparison.OrdinalIgnoreCase))
            {
                // being removed by someone else
            }
            return true;
        }, cancellationToken);
    }

    public Task<ContainerWaitResult> WaitContainerAsync(string container, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = EngineReferences.Container(container);
        return RunAsync($"POST /containers/{id}/wait", timeout, false, async token =>
        {
            var result = await _client.Containers.WaitContainerAsync(id, token);
            return new ContainerWaitResult(result.StatusCode, result.Error is { } error ? new WaitError(error.Message) : null);
        }, cancellationToken);
    }

    public Task<ContainerOutput> GetContainerLogsAsync(string container, LogsOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var id = EngineReferences.Container(container);
        var parameters = new Lib.ContainerLogsParameters
        {
            ShowStdout = options.Stdout,
            ShowStderr = options.Stderr,
            Timestamps = options.Timestamps,
            Follow = false,
            Tail = options.Tail is { } tail ? tail.ToString(CultureInfo.InvariantCulture) : "all",
            Since = options.Since is { } since ? UnixSeconds(since) : null,
        };
        return RunAsync($"GET /containers/{id}/logs", options.Timeout, false, async token =>
        {
            using var stream = await _client.Containers.GetContainerLogsAsync(id, tty: false, parameters, token);
            return await ReadCappedAsync(stream, options.MaxBytes, drain: false, token);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyCollection<string> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var parameters = new Lib.ContainersListParameters { All = true, Filters = Filters(("label", labels)) };
        return RunAsync<IReadOnlyList<ContainerSummary>>("GET /containers/json", _requestTimeout, false, async token =>
            [.. (await _client.Containers.ListContainersAsync(parameters, token)).Select(FromLibrary)], cancellationToken);
    }

    public Task<ExecResult> ExecAsync(string container, ExecSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Cmd.Count == 0) throw new ArgumentException("an exec needs a command", nameof(spec));
        var id = EngineReferences.Container(container);
        var parameters = new Lib.ContainerExecCreateParameters
        {
            AttachStdout = true,
            AttachStderr = true,
            Cmd = [.. spec.Cmd],
            Env = spec.Env?.ToList(),
            User = spec.User,
            WorkingDir = spec.WorkingDir,
        };
        return RunAsync($"POST /containers/{id}/exec", spec.Timeout, false, async token =>
        {
            var execId = (await _client.Exec.ExecCreateContainerAsync(id, parameters, token)).ID;
            ContainerOutput output;
            using (var stream = await _client.Exec.StartAndAttachContainerExecAsync(execId, tty: false, token))
            {
                // Drain past the cap: a process blocked on a full pipe would never exit.
                output = await ReadCappedAsync(stream, spec.MaxOutputBytes, drain: true, token);
            }

            // The stream ends when the process closes its output; the exit code is recorded a moment later.
            for (var delay = 5; ; delay = Math.Min(delay * 2, 200))
            {
                var state = await _client.Exec.InspectContainerExecAsync(execId, token);
                if (!state.Running) return new ExecResult(state.ExitCode, output);
                await Task.Delay(delay, token);
            }
        }, cancellationToken);
    }

    public async Task<ContainerArchive> GetArchiveAsync(string container, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/') || path.Contains('\0'))
            throw new ArgumentException($"an absolute path in the container is required (got '{path}')", nameof(path));
        var id = EngineReferences.Container(container);
        var request = $"GET /containers/{id}/archive?path={Uri.EscapeDataString(path)}";

        // Not RunAsync: the timeout must outlive this method and cover the caller's reading of the tar, so the
        // library's stream is wrapped in our TimeoutGuardedStream and disposed when the call's time is up.
        var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        call.CancelAfter(timeout);
        try
        {
            Lib.GetArchiveFromContainerResponse response;
            try
            {
                response = await _client.Containers.GetArchiveFromContainerAsync(id, new Lib.GetArchiveFromContainerParameters { Path = path }, statOnly: false, call.Token);
            }
            catch (InvalidOperationException e)
            {
                // The library reads the stat header unchecked and throws when the engine sent none.
                throw new DockerApiException(HttpStatusCode.OK, $"no X-Docker-Container-Path-Stat header ({e.Message})", request);
            }

            if (response.Stat is null)
            {
                response.Stream.Dispose();
                throw new DockerApiException(HttpStatusCode.OK, "no X-Docker-Container-Path-Stat header", request);
            }
            var tar = new TimeoutGuardedStream(response.Stream, call, cancellationToken, request, timeout);
            var abort = call.Token.Register(static stream => ((Stream)stream!).Dispose(), response.Stream);
            return new ContainerArchive(FromLibrary(response.Stat), tar, new Both(abort, call));
        }
        catch (Exception e)
        {
            var timedOut = call.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
            call.Dispose();
            if (Translate(e, request, timeout, timedOut, false) is { } translated) throw translated;
            throw;
        }
    }

    public async IAsyncEnumerable<EngineEvent> StreamEventsAsync(EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameters = new Lib.ContainerEventsParameters
        {
            Since = filter.Since is { } since ? UnixSeconds(since) : null,
            Until = filter.Until is { } until ? UnixSeconds(until) : null,
            Filters = Filters(("type", filter.Types), ("event", filter.Actions), ("container", filter.Containers), ("label", filter.Labels)),
        };

        // The library reports events through IProgress while its call runs; a channel turns that into our stream.
        // No request timeout covers the headers: the library's call does not return before the stream ends.
        var events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var monitor = MonitorEventsAsync(parameters, events.Writer, stop.Token);
        try
        {
            await foreach (var engineEvent in events.Reader.ReadAllAsync(cancellationToken))
                yield return engineEvent;
        }
        finally
        {
            await stop.CancelAsync();
            await monitor;
        }
    }

    /// <summary>Runs the library's event monitor into <paramref name="events"/>; never throws, it completes the channel with the error.</summary>
    private async Task MonitorEventsAsync(Lib.ContainerEventsParameters parameters, ChannelWriter<EngineEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await _client.System.MonitorEventsAsync(parameters, new SynchronousProgress<Lib.Message>(m => events.TryWrite(FromLibrary(m))), cancellationToken);
            events.TryComplete();
        }
        catch (Exception e)
        {
            events.TryComplete(Translate(e, "GET /events", Timeout.InfiniteTimeSpan, false, false) ?? e);
        }
    }

    public Task<ContainerResourceUsage> GetResourceUsageAsync(string container, CancellationToken cancellationToken)
    {
        var id = EngineReferences.Container(container);
        // one-shot (API 1.41+): no second sample for precpu_stats, so ~30 ms instead of 1-2 s; we report totals only.
        var parameters = new Lib.ContainerStatsParameters { Stream = false, OneShot = true };
        var request = $"GET /containers/{id}/stats?stream=false&one-shot=true";
        return RunAsync(request, _requestTimeout, false, async token =>
        {
            Lib.ContainerStatsResponse? sample = null;
            await _client.Containers.GetContainerStatsAsync(id, parameters, new SynchronousProgress<Lib.ContainerStatsResponse>(s => sample = s), token);
            return sample is null
                ? throw new DockerApiException(HttpStatusCode.OK, "empty body", request)
                : FromLibrary(sample);
        }, cancellationToken);
    }

    /// <summary>
    /// Reads a multiplexed stream (logs, attached exec) under <see cref="CappedOutput"/>'s cap. The library decodes the
    /// frames; the cap, and draining past it, are ours. The stream is disposed on cancellation, since a read of the
    /// library's hijacked connection may not watch the token.
    /// </summary>
    private static async Task<ContainerOutput> ReadCappedAsync(MultiplexedStream stream, int maxBytes, bool drain, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        using var abort = cancellationToken.Register(static s => ((MultiplexedStream)s!).Dispose(), stream);
        var output = new CappedOutput(maxBytes);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF) return output.ToOutput();
            if (read.Target == MultiplexedStream.TargetStream.StandardIn) continue;
            var stderr = read.Target == MultiplexedStream.TargetStream.StandardError;
            if (!output.Add(stderr, buffer.AsSpan(0, read.Count)) && !drain) return output.ToOutput();
        }
    }

    /// <summary>The engine's 404 as null: asking about an image or container that does not exist is an answer, not an error.</summary>
    private static async Task<T?> NullWhenMissingAsync<T>(Func<Task<T>> inspect)
        where T : class
    {
        try
        {
            return await inspect();
        }
        catch (LibraryApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Runs one call under its own timeout and maps the library's and the transport's failures to ours.</summary>
    private Task<T> RunAsync<T>(string request, TimeSpan timeout, bool timeoutMeansUnavailable,
        Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        EngineCalls.RunAsync(timeout, call, (e, timedOut) => Translate(e, request, timeout, timedOut, timeoutMeansUnavailable), cancellationToken);

    private Exception? Translate(Exception e, string request, TimeSpan timeout, bool timedOut, bool timeoutMeansUnavailable)
    {
        if (e is LibraryApiException api)
            return new DockerApiException(api.StatusCode, EngineCalls.ExtractMessage(api.ResponseBody), request);
        // An answer that is not the JSON the library expects (a proxy's error page, a cut body): the engine's fault, not ours.
        if (e is Newtonsoft.Json.JsonException json)
            return new DockerApiException(HttpStatusCode.OK, $"unreadable answer: {json.Message}", request);
        // The library connects its own unix socket: the SocketException may come bare or inside an HttpRequestException.
        var socketError = e as SocketException ?? e.InnerException as SocketException;
        return EngineCalls.TranslateTransport(e, socketError, _socketPath, request, timeout, timedOut, timeoutMeansUnavailable);
    }

    public void Dispose()
    {
        _client.Dispose();
        _configuration.Dispose();
    }

    /// <summary>A time as the engine's queries take it: Unix seconds, with nanoseconds after a dot when there are any.</summary>
    private static string UnixSeconds(DateTimeOffset at)
    {
        var ticks = (at - DateTimeOffset.UnixEpoch).Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        return rest == 0 ? seconds.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{seconds}.{rest * 100:D9}");
    }

    /// <summary>Disposes two things as one (an archive's timeout registration and its call).</summary>
    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the library's thread, in order (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
