namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// What building a columnar cache learnt of its CSV on the way, so that the one read that builds the cache is also the
/// read that registers the dataset.
/// </summary>
/// <param name="CachePath">Where the cache was written.</param>
/// <param name="Sha256">SHA-256 of the CSV bytes the cache holds (lower-case hex).</param>
/// <param name="Length">Their length in bytes.</param>
/// <param name="Columns">The header's column names.</param>
/// <param name="IsUtf8">True when every field is UTF-8 text (the header always is, or the CSV is not cached).</param>
public sealed record BuiltCache(string CachePath, string Sha256, long Length, IReadOnlyList<string> Columns, bool IsUtf8);
