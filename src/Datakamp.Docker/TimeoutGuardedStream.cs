namespace Datakamp.Docker;

/// <summary>
/// A read-only response stream that outlives the call that opened it (the archive tar): every read is bound to the
/// call's timeout, and a read that fails because the timeout passed throws <see cref="DockerTimeoutException"/>.
/// </summary>
internal sealed class TimeoutGuardedStream(Stream inner, CancellationTokenSource call, CancellationToken caller, string request, TimeSpan timeout)
    : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // TarReader asks for zero bytes at times; Docker.DotNet's chunked response stream throws EndOfStreamException
        // for such a read, so it is answered here without touching the inner stream.
        if (buffer.IsEmpty) return 0;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.Token, cancellationToken);
        try
        {
            return await inner.ReadAsync(buffer, linked.Token);
        }
        catch (Exception e) when (TimedOut(cancellationToken) && e is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
        {
            throw new DockerTimeoutException(request, timeout, e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0) return 0;   // as in ReadAsync
        try
        {
            return inner.Read(buffer, offset, count);   // the call's timeout disposes the response, which ends a blocked read
        }
        catch (Exception e) when (TimedOut(CancellationToken.None) && e is IOException or ObjectDisposedException or HttpRequestException)
        {
            throw new DockerTimeoutException(request, timeout, e);
        }
    }

    private bool TimedOut(CancellationToken readToken) =>
        call.IsCancellationRequested && !caller.IsCancellationRequested && !readToken.IsCancellationRequested;

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

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
