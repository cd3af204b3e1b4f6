using System.Security.Cryptography;

namespace Datakamp.Releases;

/// <summary>What the store holds under one content address.</summary>
public sealed record StoredContent(string Sha256, long Size);

/// <summary>Thrown by <see cref="ContentStore.PutAsync(Stream, long, CancellationToken)"/> when the stream yields more bytes than allowed.</summary>
public sealed class ContentTooLargeException(long maxBytes)
    : IOException($"The content is larger than the limit of {maxBytes} bytes.")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>Thrown by <see cref="ContentStore.PutAsync(Stream, long, long?, CancellationToken)"/> when the stream ends before the expected length.</summary>
public sealed class ContentLengthMismatchException(long expected, long actual)
    : IOException($"The content ended after {actual} of the expected {expected} bytes.");

/// <summary>Thrown when stored content no longer has the SHA-256 it is stored under (the store was tampered with).</summary>
public sealed class ContentTamperedException(string sha256)
    : IOException($"Stored content {sha256} does not match its SHA-256; the store has been altered.")
{
    public string Sha256 { get; } = sha256;
}

/// <summary>
/// An immutable, content-addressed store in a host-private folder: <c>sha256/ab/cd/&lt;hash&gt;</c>, files mode 0444,
/// folders 0700. Content is written to a temp file in the store (same file system), hashed while it is written,
/// counted byte by byte against a cap (never a header's word), and renamed into place atomically. Reading re-verifies
/// the hash, so an altered store is detected rather than released.
/// </summary>
public sealed class ContentStore
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const int BufferSize = 81920;

    private readonly string _objects;
    private readonly string _temp;

    public ContentStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _objects = Path.Combine(Root, "sha256");
        _temp = Path.Combine(Root, "tmp");
        foreach (var folder in new[] { Root, _objects, _temp })
        {
            Directory.CreateDirectory(folder, PrivateFolder);
            File.SetUnixFileMode(folder, PrivateFolder); // also when it already existed with a looser mode
        }
    }

    public string Root { get; }

    /// <summary>True for exactly 64 lower-case hex digits: the only hashes this store will turn into a path.</summary>
    public static bool IsValidSha256(string? hash)
    {
        if (hash is not { Length: 64 })
            return false;
        foreach (var c in hash)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f'))
                return false;
        return true;
    }

    /// <summary>
    /// Copies <paramref name="content"/> into the store, at most <paramref name="maxBytes"/> bytes (counted as read),
    /// and returns its address. Storing content that is already there is success. Throws
    /// <see cref="ContentTooLargeException"/> (nothing stored) when the stream has more.
    /// </summary>
    public Task<StoredContent> PutAsync(Stream content, long maxBytes, CancellationToken cancellationToken) =>
        PutAsync(content, maxBytes, expectedBytes: null, cancellationToken);

    /// <summary>
    /// As <see cref="PutAsync(Stream, long, CancellationToken)"/>; with <paramref name="expectedBytes"/>, a stream that
    /// ends early is <see cref="ContentLengthMismatchException"/> and nothing is stored.
    /// </summary>
    public async Task<StoredContent> PutAsync(Stream content, long maxBytes, long? expectedBytes, CancellationToken cancellationToken)
    {
        using var staged = await StageAsync(content, maxBytes, expectedBytes, cancellationToken);
        return Commit(staged);
    }

    /// <summary>
    /// Reads <paramref name="content"/> into a private temp file of the store and hashes it, under the same caps as
    /// <see cref="PutAsync(Stream, long, long?, CancellationToken)"/>, without storing it yet: the caller decides after
    /// reading (an outbox entry found to be a hard-link target or a duplicate later in the archive is never stored).
    /// <see cref="Commit"/> stores it; disposing the staged content without committing removes it.
    /// </summary>
    public async Task<StagedContent> StageAsync(Stream content, long maxBytes, long? expectedBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var temp = Path.Combine(_temp, $"{Guid.NewGuid():N}.part");
        try
        {
            long size = 0;
            var fileOptions = new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Options = FileOptions.Asynchronous,
            };
            await using var file = new FileStream(temp, fileOptions);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferSize];
            while (true)
            {
                // Ask for at most one byte beyond the cap: enough to know the cap is exceeded, never more.
                var want = (int)Math.Min(buffer.Length, maxBytes - size + 1);
                var read = await content.ReadAsync(buffer.AsMemory(0, want), cancellationToken);
                if (read == 0)
                    break;
                size += read;
                if (size > maxBytes)
                    throw new ContentTooLargeException(maxBytes);
                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            if (expectedBytes is { } expected && size != expected)
                throw new ContentLengthMismatchException(expected, size);
            await file.FlushAsync(cancellationToken);
            file.Flush(flushToDisk: true);
            return new StagedContent(temp, Convert.ToHexStringLower(sha.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Stores staged content under its address (read-only; storing what is already there is success).</summary>
    public StoredContent Commit(StagedContent staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        File.SetUnixFileMode(staged.TempPath, ReadOnlyFile);
        var target = PathFor(staged.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!, PrivateFolder);
        if (!File.Exists(target))
            File.Move(staged.TempPath, target, overwrite: true); // rename(2): atomic; a racing writer has the same bytes
        staged.Dispose();
        return new StoredContent(staged.Sha256, staged.Size);
    }

    /// <summary>Whether content with this hash is stored (false for anything that is not a valid hash).</summary>
    public bool Contains(string sha256) => IsValidSha256(sha256) && File.Exists(PathFor(sha256));

    /// <summary>
    /// Opens stored content for reading. The whole file is hashed before the stream is returned, and hashed again as
    /// the caller reads it (the end of the stream throws <see cref="ContentTamperedException"/> on a mismatch).
    /// Throws <see cref="ArgumentException"/> for an invalid hash and <see cref="FileNotFoundException"/> when absent.
    /// </summary>
    public async Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        if (!IsValidSha256(sha256))
            throw new ArgumentException("A content address is 64 lower-case hex digits.", nameof(sha256));
        var path = PathFor(sha256);
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException($"No stored content {sha256}.");
        if (info.LinkTarget is not null)
            throw new ContentTamperedException(sha256);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous);
        try
        {
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
            if (actual != sha256)
                throw new ContentTamperedException(sha256);
            file.Position = 0;
            return new VerifyingReadStream(file, sha256);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Reads stored content whole (for small outputs), verified.</summary>
    public async Task<byte[]> ReadAllBytesAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var stream = await OpenReadAsync(sha256, cancellationToken);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }

    /// <summary>Where content with this (already validated) hash lives.</summary>
    internal string PathFor(string sha256)
    {
        if (!IsValidSha256(sha256))
            throw new ArgumentException("A content address is 64 lower-case hex digits.", nameof(sha256));
        return Path.Combine(_objects, sha256[..2], sha256[2..4], sha256);
    }

    /// <summary>A read-only stream that hashes what passes through and throws at the end if it is not what was stored.</summary>
    private sealed class VerifyingReadStream(FileStream inner, string expected) : Stream
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private bool _checked;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
                return 0;
            var read = inner.Read(buffer);
            return Observe(buffer[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
                return 0;
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Observe(buffer.Span[..read]);
        }

        private int Observe(ReadOnlySpan<byte> data)
        {
            if (data.Length > 0)
            {
                _sha.AppendData(data);
                return data.Length;
            }
            if (!_checked)
            {
                _checked = true;
                if (Convert.ToHexStringLower(_sha.GetHashAndReset()) != expected)
                    throw new ContentTamperedException(expected);
            }
            return 0;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                _sha.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
