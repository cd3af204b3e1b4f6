using System.Diagnostics;

namespace Datakamp.Host.Tests;

/// <summary>
/// Unmounts the team disk images a test's host mounted under its scratch folder, so that removing the
/// folder neither deletes through a mount nor leaves loop devices behind.
/// </summary>
internal static class LoopMounts
{
    public static void UnmountAllUnder(string folder)
    {
        var prefix = Path.GetFullPath(folder) + "/";
        // Deepest first, in case one mount sits inside another.
        foreach (var mountPoint in MountPoints().Where(point => point.StartsWith(prefix, StringComparison.Ordinal)).OrderByDescending(point => point.Length))
        {
            var image = LoopBackingFile(mountPoint);
            // Lazy: a container that is still being removed may hold the filesystem a moment longer.
            Run("umount", "--lazy", mountPoint);
            // mount -o loop frees the loop device when the filesystem goes; detach explicitly in case it did not.
            if (image is not null) foreach (var device in LoopDevicesOf(image)) Run("losetup", "-d", device);
        }
    }

    private static IEnumerable<string> MountPoints() =>
        File.ReadAllLines("/proc/self/mountinfo").Select(line => Unescape(line.Split(' ')[4]));

    private static string? LoopBackingFile(string mountPoint)
    {
        var source = File.ReadAllLines("/proc/self/mountinfo").Select(line => line.Split(' '))
            .Where(fields => Unescape(fields[4]) == mountPoint).Select(fields => fields[^2]).LastOrDefault();
        if (source is null || !source.StartsWith("/dev/loop", StringComparison.Ordinal)) return null;
        var backing = $"/sys/block/{Path.GetFileName(source)}/loop/backing_file";
        return File.Exists(backing) ? File.ReadAllText(backing).Trim() : null;
    }

    private static IEnumerable<string> LoopDevicesOf(string image) =>
        Run("losetup", "-n", "-O", "NAME", "-j", image).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes.</summary>
    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");

    private static string Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
