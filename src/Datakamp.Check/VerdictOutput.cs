using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Check;

/// <summary>
/// The verdict file of <c>--out</c>. Checked before the check starts, because a check of a large file takes
/// a while and an output that cannot be written should not be found out only at the end.
/// </summary>
internal static class VerdictOutput
{
    /// <summary>Throws <see cref="UsageException"/> when <paramref name="path"/> cannot be written: no folder, a folder itself, no permission.</summary>
    public static void EnsureWritable(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new UsageException($"check: --out {path} is a folder; give a file name, e.g. {Path.Combine(path, "verdict.json")}");
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder)) throw new UsageException($"check: --out {path}: the folder {folder} does not exist");
        // Trying is the only reliable test of permissions (ACLs, read-only mounts); the probe is the
        // temporary file the verdict is written to anyway, and is removed at once.
        try
        {
            using (File.Create(TemporaryPath(full), 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"check: --out {path} cannot be written: {e.Message}");
        }
    }

    /// <summary>Writes to a temporary file first, so a reader never sees half a verdict.</summary>
    public static void Write(string path, VerdictDocument verdict)
    {
        var temporary = TemporaryPath(path);
        using (var stream = File.Create(temporary))
            VerdictJsonContext.Write(stream, verdict);
        File.Move(temporary, path, overwrite: true);
    }

    private static string TemporaryPath(string path) => path + ".partial";
}
