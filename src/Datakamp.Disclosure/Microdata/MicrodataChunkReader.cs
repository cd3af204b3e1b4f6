using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Reads the microdata on its own thread in blocks, hashes every byte with SHA-256, reports bytes read,
/// and cuts the blocks at record boundaries into <see cref="MicrodataChunk"/>s that other threads can
/// parse independently and in parallel. A newline ends a record only outside quotes, i.e. when the number
/// of quote characters before it since the last cut is even (a doubled quote inside a quoted field adds
/// two, so it does not change that). A quote where the strict parser refuses one would make this count
/// wrong only after that quote, and the chunk holding it reports the error first.
/// Memory stays bounded: at most <c>queueLength</c> chunks wait for a parser.
/// </summary>
internal sealed class MicrodataChunkReader : IDisposable
{
    /// <summary>Chunk size: large enough that per-chunk overhead vanishes, small enough to keep both cores busy.</summary>
    public const int ChunkSize = 1 << 19;
    private const int MaxChunkBytes = 64 * 1024 * 1024;

    private readonly BlockingCollection<MicrodataChunk> _chunks;
    // Our own pool of chunk buffers: they are rented on the reader thread and returned on another, which
    // the shared ArrayPool does not cache well, and every miss would be a chunk of large-object garbage.
    private readonly ConcurrentQueue<byte[]> _free = new();
    private readonly CancellationTokenSource _cts;
    private readonly Task _producer;
    private byte[]? _hash;
    private Exception? _error;

    public MicrodataChunkReader(Stream source, IProgress<long>? progress, CancellationToken cancellationToken, int queueLength = 3)
    {
        _chunks = new BlockingCollection<MicrodataChunk>(boundedCapacity: queueLength);
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _cts.Token;
        _producer = Task.Factory.StartNew(() => Produce(source, progress, token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Total bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the whole file; only after <see cref="Next"/> returned null.</summary>
    public string Sha256 => _hash is not null ? Convert.ToHexStringLower(_hash)
        : throw new InvalidOperationException("the microdata was not read to its end");

    /// <summary>The next chunk in file order, or null at the end of the file; a read error is an <see cref="IOException"/>.</summary>
    public MicrodataChunk? Next()
    {
        if (_chunks.TryTake(out var chunk, Timeout.Infinite, _cts.Token)) return chunk;
        _producer.Wait(_cts.Token);
        if (_error is OperationCanceledException oce) throw oce;
        if (_error is not null) throw new IOException($"reading the microdata failed: {_error.Message}", _error);
        return null;
    }

    private void Produce(Stream source, IProgress<long>? progress, CancellationToken token)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            var carry = Array.Empty<byte>();
            var carryLength = 0;
            long line = 1;
            var eof = false;
            while (!eof)
            {
                var buffer = Rent(Math.Max(ChunkSize, carryLength * 2));
                carry.AsSpan(0, carryLength).CopyTo(buffer);
                var filled = carryLength;
                while (filled < buffer.Length)
                {
                    var n = source.Read(buffer, filled, buffer.Length - filled);
                    if (n == 0) { eof = true; break; }
                    sha.AppendData(buffer, filled, n);
                    filled += n;
                    BytesRead += n;
                }
                progress?.Report(BytesRead);

                var cut = eof || filled >= MaxChunkBytes ? filled : LastRecordEnd(buffer.AsSpan(0, filled));
                if (cut < 0)
                {
                    // One record longer than the buffer: read on with a larger one.
                    carry = buffer.AsSpan(0, filled).ToArray();
                    carryLength = filled;
                    Return(buffer);
                    continue;
                }
                carryLength = filled - cut;
                carry = carryLength == 0 ? [] : buffer.AsSpan(cut, carryLength).ToArray();
                if (cut == 0) Return(buffer);
                else
                {
                    _chunks.Add(new MicrodataChunk(buffer, cut, line), token);
                    line += buffer.AsSpan(0, cut).Count((byte)'\n');
                }
            }
            _hash = sha.GetHashAndReset();
        }
        catch (Exception e) { _error = e; }
        finally { _chunks.CompleteAdding(); }
    }

    /// <summary>Gives a parsed chunk's buffer back for reuse, so memory stays at the chunks in flight.</summary>
    public void Return(MicrodataChunk chunk) => Return(chunk.Buffer);

    private void Return(byte[] buffer)
    {
        if (buffer.Length == ChunkSize) _free.Enqueue(buffer);
    }

    private byte[] Rent(int size) => size == ChunkSize && _free.TryDequeue(out var buffer) ? buffer : new byte[size];

    /// <summary>Index just after the last newline outside quotes, or -1 when there is none.</summary>
    internal static int LastRecordEnd(ReadOnlySpan<byte> data)
    {
        var quotesBefore = data.Count((byte)'"');
        var end = data.Length;
        while (true)
        {
            var newline = data[..end].LastIndexOf((byte)'\n');
            if (newline < 0) return -1;
            quotesBefore -= data[newline..end].Count((byte)'"');
            if ((quotesBefore & 1) == 0) return newline + 1;
            end = newline;
        }
    }

    public void Dispose()
    {
        _cts.Cancel();
        try { _producer.Wait(); } catch (AggregateException) { }
        _chunks.Dispose();
        _cts.Dispose();
    }
}
