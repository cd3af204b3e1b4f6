using System.Buffers.Binary;

namespace Datakamp.Docker;

/// <summary>
/// Decodes the Engine API's multiplexed stream (logs and attached exec of a container without TTY): frames of an
/// 8-byte header <c>[stream, 0, 0, 0, size (uint32 big-endian)]</c> followed by <c>size</c> bytes of stream
/// 0 (stdin), 1 (stdout) or 2 (stderr).
/// </summary>
public static class MultiplexedStreamDecoder
{
    /// <summary>
    /// Reads frames until the end of <paramref name="stream"/>, keeping at most <paramref name="maxBytes"/> bytes of
    /// stdout and stderr together. Beyond the cap, <paramref name="drain"/> keeps reading and dropping (so a
    /// process writing to it is not blocked) or stops at once.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream is not multiplexed (e.g. a TTY container's raw stream).</exception>
    public static async Task<ContainerOutput> ReadAsync(Stream stream, int maxBytes, bool drain, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var output = new CappedOutput(maxBytes);
        var header = new byte[8];
        var buffer = new byte[16 * 1024];

        while (true)
        {
            var headerBytes = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
            if (headerBytes == 0) break;
            if (headerBytes < header.Length) throw new InvalidDataException($"stream ended inside a frame header ({headerBytes} of 8 bytes)");
            if (header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
                throw new InvalidDataException($"not a multiplexed stream (frame header starts with 0x{header[0]:x2}); was the container created with a TTY?");
            var stdin = header[0] == 0;
            var remaining = (long)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));

            while (remaining > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken);
                if (read == 0) throw new InvalidDataException($"stream ended inside a frame ({remaining} bytes missing)");
                remaining -= read;
                if (stdin) continue;
                if (!output.Add(stderr: header[0] == 2, buffer.AsSpan(0, read)) && !drain) return output.ToOutput();
            }
        }
        return output.ToOutput();
    }
}

/// <summary>
/// Stdout and stderr kept up to a cap on both together, the rest dropped and the result marked truncated. Shared by
/// <see cref="MultiplexedStreamDecoder"/> and <see cref="DockerDotNetEngine"/> (whose library decodes the frames itself).
/// </summary>
internal sealed class CappedOutput(int maxBytes)
{
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private long _kept;
    private bool _truncated;

    /// <summary>Keeps what fits under the cap; false when some of <paramref name="bytes"/> was dropped.</summary>
    public bool Add(bool stderr, ReadOnlySpan<byte> bytes)
    {
        var keep = (int)Math.Min(bytes.Length, maxBytes - _kept);
        if (keep > 0)
        {
            (stderr ? _stderr : _stdout).Write(bytes[..keep]);
            _kept += keep;
        }
        if (keep == bytes.Length) return true;
        _truncated = true;
        return false;
    }

    public ContainerOutput ToOutput() => new(_stdout.ToArray(), _stderr.ToArray(), _truncated);
}
