namespace Datakamp.Disclosure.Microdata;

/// <summary>Where the columnar cache of a microdata CSV lives: FILE.dkcache, next to the CSV or in a folder the caller chooses.</summary>
public static class MicrodataCacheLocation
{
    public const string Extension = ".dkcache";

    /// <summary>The cache file of <paramref name="csvPath"/> in <paramref name="folder"/> (null: the CSV's own folder).</summary>
    public static string For(string csvPath, string? folder = null) =>
        Path.Combine(folder ?? Path.GetDirectoryName(Path.GetFullPath(csvPath))!, Path.GetFileName(csvPath) + Extension);
}
