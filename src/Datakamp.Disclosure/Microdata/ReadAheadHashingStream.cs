using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Read-only stream that reads its source in large blocks on a second thread, hashing each block with
/// SHA-256 and reporting bytes read, while the caller parses the previous block: file I/O and hashing use
/// one core, parsing and aggregation the other. <see cref="Sha256"/> is available once the stream was read
/// to its end.
/// </summary>
internal sealed class ReadAheadHashingStream : Stream
{
    private const int BlockSize = 1 << 20;
    private readonly BlockingCollection<(byte[] Buffer, int Length)> _blocks = new(boundedCapacity: 4);
    private readonly Task _producer;
    private readonly CancellationTokenSource _cts;
    private byte[]? _current;
    private int _currentLength;
    private int _currentPos;
    private bool _done;
    private byte[]? _hash;
    private Exception? _error;

    public ReadAheadHashingStream(Stream source, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _cts.Token;
        _producer = Task.Run(() =>
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            try
            {
                while (true)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
                    var n = source.Read(buffer, 0, BlockSize);
                    if (n == 0) { ArrayPool<byte>.Shared.Return(buffer); break; }
                    sha.AppendData(buffer, 0, n);
                    total += n;
                    progress?.Report(total);
                    _blocks.Add((buffer, n), token);
                }
                _hash = sha.GetHashAndReset();
            }
            catch (Exception e) { _error = e; }
            finally { _blocks.CompleteAdding(); }
        }, token);
    }

    /// <summary>Lower-case hex SHA-256 of everything read; only after the end of the stream was reached.</summary>
    public string Sha256 => _done && _hash is not null ? Convert.ToHexStringLower(_hash)
        : throw new InvalidOperationException("the stream was not read to its end");

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        while (_current is null || _currentPos == _currentLength)
        {
            if (_current is not null) { ArrayPool<byte>.Shared.Return(_current); _current = null; }
            if (_done) return 0;
            if (!_blocks.TryTake(out var block, Timeout.Infinite, _cts.Token))
            {
                _producer.Wait(_cts.Token);
                if (_error is OperationCanceledException oce) throw oce;
                if (_error is not null) throw new IOException($"reading the microdata failed: {_error.Message}", _error);
                _done = true;
                return 0;
            }
            (_current, _currentLength, _currentPos) = (block.Buffer, block.Length, 0);
        }
        var n = Math.Min(destination.Length, _currentLength - _currentPos);
        _current.AsSpan(_currentPos, n).CopyTo(destination);
        _currentPos += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cts.Cancel();
            try { _producer.Wait(); } catch (AggregateException) { }
            while (_blocks.TryTake(out var b)) ArrayPool<byte>.Shared.Return(b.Buffer);
            if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
            _blocks.Dispose();
            _cts.Dispose();
        }
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
