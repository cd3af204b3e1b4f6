using System.Security.Cryptography;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Recomputes the tables of a check from the CSV's columnar cache, building the cache first when it is
/// missing or not valid. Safe by choice: every check hashes the whole CSV (about 0.1 s per 100 MB, on the
/// other core while the cache is read) and uses
/// the cache only when it was built from bytes with exactly that SHA-256, rather than trusting the file's
/// size and modification time, which a copy or an edit can keep while changing the content; and the
/// verdict names the SHA-256 of the bytes it was computed from. Null whenever the cache cannot be used
/// (the CSV cannot be cached, changed while it was cached, or the cache is damaged): then the caller reads
/// the CSV as without a cache, which also reports any error in it.
/// </summary>
internal static class CachedRecomputation
{
    public static MicrodataPass? TryRecompute(string csvPath, string cachePath, string fileName, IReadOnlyList<TableSpec> specs,
        Policy policy, char delimiter, IProgress<long>? bytesRead, CancellationToken cancellationToken)
    {
        // The CSV is hashed on another core while the cache it claims to be of is read and aggregated; that
        // result is used only when the hash is the one the cache was built from, and is thrown away otherwise.
        var hashing = Task.Run(() => Hash(csvPath, bytesRead, cancellationToken), cancellationToken);
        MicrodataCache? claimed = null;
        MicrodataPass? early = null;
        try
        {
            claimed = MicrodataCache.Open(cachePath, delimiter);
            // A cache of a CSV of another length is of another CSV: not worth reading while the hash is made.
            if (claimed is not null && claimed.CsvLength != new FileInfo(csvPath).Length) claimed = null;
            if (claimed is not null)
                early = TableRecomputer.RecomputeAll(claimed, claimed.CsvSha256, claimed.CsvLength, fileName, specs, policy, delimiter, cancellationToken);
        }
        finally
        {
            // Never leave the hashing task running, whatever happened here (waiting on WhenAny does not throw).
            Task.WhenAny(hashing).Wait(CancellationToken.None);
        }
        // Rethrows the hash's own error as it is (a read error, a cancellation), not wrapped.
        var (sha, length) = hashing.GetAwaiter().GetResult();
        if (claimed is not null && claimed.CsvSha256 == sha && claimed.CsvLength == length) return early;

        // Built from the bytes read now; if they are not the bytes just hashed, the CSV changed: do not use it.
        if (MicrodataCacheWriter.TryWrite(csvPath, delimiter, cachePath) != sha) return null;
        var cache = MicrodataCache.Open(cachePath, sha, length, delimiter);
        return cache is null ? null : TableRecomputer.RecomputeAll(cache, sha, length, fileName, specs, policy, delimiter, cancellationToken);
    }

    private static (string Sha256, long Length) Hash(string path, IProgress<long>? bytesRead, CancellationToken ct)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long total = 0;
        int n;
        while ((n = file.Read(buffer)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            sha.AppendData(buffer, 0, n);
            total += n;
            bytesRead?.Report(total);
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), total);
    }
}
