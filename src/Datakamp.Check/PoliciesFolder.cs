namespace Datakamp.Check;

/// <summary>
/// Finds the policies folder for <c>datakamp check --policy NAME</c> the way the host does: the setting
/// <c>Storage:PoliciesDirectory</c> (default <c>policies</c>), relative to the folder datakamp was started in.
/// A command is also started from elsewhere (a script, <c>dotnet run</c>, the test runner), so when that
/// folder does not exist a relative setting is also tried beside the executable and in the folders above
/// it, which finds the repository's <c>policies/</c> from a build output inside the repository.
/// </summary>
internal static class PoliciesFolder
{
    public const string DefaultSetting = "policies";

    /// <summary>The full path of the first existing candidate folder, or null.</summary>
    public static string? Find(string? setting)
    {
        var configured = string.IsNullOrWhiteSpace(setting) ? DefaultSetting : setting;
        var here = Path.GetFullPath(configured);
        if (Directory.Exists(here)) return here;
        if (Path.IsPathRooted(configured)) return null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, configured);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
