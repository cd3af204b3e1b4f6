using System.Text;

namespace Datakamp.Docker.Tests;

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
