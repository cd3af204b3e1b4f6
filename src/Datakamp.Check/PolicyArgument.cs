
namespace Datakamp.Check;

/// <summary>
/// Turns the value of <c>--policy</c> into a policy file. An existing file, or a value that looks like a
/// path (a folder separator or a .yaml/.yml ending), is a path. Anything else is a policy name, the way
/// datasets name their policy: <c>cbs-persons</c> is <c>cbs-persons.yaml</c> in the policies folder.
/// </summary>
internal static class PolicyArgument
{
    /// <summary>
    /// The policy file for <paramref name="value"/>, or a one-line reason when there is none.
    /// <paramref name="policiesSetting"/> gives the setting <c>Storage:PoliciesDirectory</c>, asked only for a name.
    /// </summary>
    public static (string? Path, string? Error) Resolve(string value, Func<string?> policiesSetting)
    {
        ArgumentNullException.ThrowIfNull(policiesSetting);
        if (File.Exists(value) || LooksLikePath(value))
            return File.Exists(value) ? (value, null) : (null, $"{value}: no such file");

        var setting = policiesSetting();
        var folder = PoliciesFolder.Find(setting);
        if (folder is null)
            return (null, $"--policy '{value}': no policy file of that name, and no policies folder to look for a policy named so "
                + $"(looked for '{setting ?? PoliciesFolder.DefaultSetting}' here and beside datakamp; set Storage:PoliciesDirectory)");
        var file = System.IO.Path.Combine(folder, value + ".yaml");
        if (File.Exists(file)) return (file, null);
        var names = Directory.EnumerateFiles(folder, "*.yaml").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
        return (null, $"--policy '{value}': no such policy in {folder} (available: {(names.Count == 0 ? "none" : string.Join(", ", names))})");
    }

    private static bool LooksLikePath(string value) =>
        value.Contains('/') || value.Contains(System.IO.Path.DirectorySeparatorChar)
        || value.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
