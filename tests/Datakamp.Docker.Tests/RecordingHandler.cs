using System.Net;
using System.Text;

namespace Datakamp.Docker.Tests;

/// <summary>
/// Records each request (and its body, read at send time) and answers from a queue of canned responses, falling back
/// to the one given to the constructor: tests the client's request shapes without an engine.
/// </summary>
internal sealed class RecordingHandler(HttpStatusCode status, string body) : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _responses = new();

    public RecordingHandler() : this(HttpStatusCode.OK, "")
    {
    }

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>The request bodies as text, in request order (null: no body).</summary>
    public List<string?> Bodies { get; } = [];

    /// <summary>"METHOD /path?query" of every request, in order.</summary>
    public IEnumerable<string> Lines => Requests.Select(r => $"{r.Method} {r.RequestUri!.PathAndQuery}");

    public RecordingHandler Respond(HttpStatusCode status, string body = "", params (string Name, string Value)[] headers) =>
        Respond(status, Encoding.UTF8.GetBytes(body), headers);

    public RecordingHandler Respond(HttpStatusCode status, byte[] body, params (string Name, string Value)[] headers) =>
        Respond((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body) };
            foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
            return Task.FromResult(response);
        });

    /// <summary>Answers with headers at once and a body stream of the caller's making (slow, endless, ...).</summary>
    public RecordingHandler RespondStream(HttpStatusCode status, Stream body) =>
        Respond((_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StreamContent(body) }));

    /// <summary>Never answers: waits until the request is cancelled.</summary>
    public RecordingHandler Hang() =>
        Respond(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });

    public RecordingHandler Respond(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _responses.Enqueue(respond);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        Bodies.Add(request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
        if (_responses.TryDequeue(out var respond)) return await respond(request, cancellationToken);
        return new HttpResponseMessage(status) { Content = new StringContent(body) };
    }
}

/// <summary>Builds the engine's multiplexed stdout/stderr stream.</summary>
internal static class Frames
{
    public static byte[] Of(params (int Stream, string Text)[] frames)
    {
        var output = new MemoryStream();
        foreach (var (stream, text) in frames)
        {
            var payload = Encoding.UTF8.GetBytes(text);
            output.Write([(byte)stream, 0, 0, 0]);
            var size = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(size, (uint)payload.Length);
            output.Write(size);
            output.Write(payload);
        }
        return output.ToArray();
    }
}

/// <summary>A body stream that gives its bytes only after a delay (or never), then ends or idles until the read is cancelled.</summary>
internal sealed class DelayedStream(byte[] content, TimeSpan delay, bool idleAtEnd = false) : Stream
{
    private readonly MemoryStream _inner = new(content);
    private bool _waited;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_waited)
        {
            await Task.Delay(delay, cancellationToken);
            _waited = true;
        }
        var read = _inner.Read(buffer.Span);
        if (read == 0 && idleAtEnd) await Task.Delay(Timeout.Infinite, cancellationToken);   // an open stream with nothing more to say
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
