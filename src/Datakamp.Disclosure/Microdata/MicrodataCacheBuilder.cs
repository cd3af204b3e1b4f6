namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Builds the columnar cache of a microdata CSV ahead of the first check (the host does it when staff register a
/// dataset), and tells which CSV a cache was built from. A check given the cache's path
/// (<see cref="CheckRequest.MicrodataCachePath"/>) reads it only when the CSV's current SHA-256 is the one the cache
/// names, so a stale or foreign cache never changes a verdict.
/// </summary>
public static class MicrodataCacheBuilder
{
    /// <summary>
    /// Writes the cache of <paramref name="csvPath"/> to <paramref name="cachePath"/> (whole or not at all) and returns
    /// the SHA-256 of the CSV bytes it was built from; null, with nothing written, when the CSV cannot be cached
    /// (it cannot be read, or it is not a CSV the checks can read). A caller that knows the CSV's SHA-256 compares:
    /// another value means the file changed while it was read.
    /// </summary>
    public static string? TryBuild(string csvPath, string cachePath, char delimiter = ',') => MicrodataCacheWriter.TryWrite(csvPath, delimiter, cachePath);

    /// <summary>
    /// Builds the cache of <paramref name="csvPath"/> in one read of the file, at the path <paramref name="cachePathOf"/>
    /// gives for the SHA-256 of the bytes read, and returns what it learnt of the CSV (SHA-256, length, columns, whether
    /// it is UTF-8 text); null, with nothing written, when the CSV cannot be cached (it cannot be read, or it is not a CSV
    /// the checks can read: read it as a check would to get the error).
    /// </summary>
    public static BuiltCache? TryBuildNamed(string csvPath, Func<string, string> cachePathOf, char delimiter = ',') =>
        MicrodataCacheWriter.TryWrite(csvPath, delimiter, cachePathOf);

    /// <summary>The SHA-256 of the CSV the cache at <paramref name="cachePath"/> was built from; null when there is no whole cache there.</summary>
    public static string? BuiltFrom(string cachePath, char delimiter = ',') => MicrodataCache.Open(cachePath, delimiter)?.CsvSha256;
}
