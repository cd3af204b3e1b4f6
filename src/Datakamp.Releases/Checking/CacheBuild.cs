namespace Datakamp.Releases;

/// <summary>Outcome of <see cref="DatasetCaches.BuildAsync"/>.</summary>
public enum CacheBuild
{
    /// <summary>The cache holds exactly the registered bytes.</summary>
    Built,

    /// <summary>The file could not be cached (checks read the CSV instead, with the same results).</summary>
    NotCacheable,

    /// <summary>The file's bytes were not the registered ones while the cache was built: nothing was kept.</summary>
    FileChanged,
}
