using Datakamp.Disclosure.Microdata;

namespace Datakamp.Releases;

/// <summary>
/// The columnar caches of registered datasets: built once when staff register a dataset, read by every automated
/// check of it (a 2,000,000-row CSV is then not parsed again per request). They live in the host's state folder,
/// in <c>microdata-cache/</c>, which no sandbox mounts, one file per CSV SHA-256: datasets registered from the same
/// bytes share one. A check reads a cache only when the CSV it holds still hashes to the SHA-256 the cache names;
/// otherwise the check rebuilds it from the file as it is now, and the verdict's SHA-256 (no longer the registered
/// one) fails the request.
/// </summary>
public sealed class DatasetCaches(string directory)
{
    /// <summary>The caches' folder inside the host's state folder.</summary>
    public static DatasetCaches In(string stateDirectory) => new(Path.Combine(Path.GetFullPath(stateDirectory), "microdata-cache"));

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Where the cache of the CSV with this SHA-256 is kept.</summary>
    public string PathOf(string sha256)
    {
        // The name comes from our own hash, never from a team; still, only 64 hex digits make a file name here.
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"not a lower-case hex SHA-256: '{sha256}'", nameof(sha256));
        return Path.Combine(Directory, sha256 + MicrodataCacheLocation.Extension);
    }

    /// <summary>
    /// Builds the cache of a CSV not registered yet, off the caller's thread, in one read of the file: the cache goes to
    /// the path of the SHA-256 of the bytes read, and what was learnt on the way (SHA-256, length, columns, UTF-8) is
    /// returned, so registering needs no other read. Null, with nothing written, when the CSV cannot be cached.
    /// </summary>
    public Task<BuiltCache?> BuildNewAsync(string csvPath, CancellationToken cancellationToken) =>
        Task.Run(() => MicrodataCacheBuilder.TryBuildNamed(csvPath, PathOf), cancellationToken);

    /// <summary>
    /// Builds the cache of <paramref name="csvPath"/>, registered with <paramref name="sha256"/>, off the caller's thread.
    /// Returns what happened; a cache built from other bytes (the file changed since it was hashed) is deleted.
    /// </summary>
    public async Task<CacheBuild> BuildAsync(string csvPath, string sha256, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        var built = await Task.Run(() => MicrodataCacheBuilder.TryBuild(csvPath, path), cancellationToken);
        if (built is null) return CacheBuild.NotCacheable;
        if (built == sha256) return CacheBuild.Built;
        File.Delete(path);
        return CacheBuild.FileChanged;
    }
}
