using Datakamp.Data.Embedded;

namespace Datakamp.Host.Sandboxes;

/// <summary>
/// A team's disk: a sparse file holding an ext4 filesystem of a set size, loop-mounted at the team's
/// <c>disk</c> folder with <c>nosuid,nodev,noexec</c>. Workspace and outbox live inside it, so the
/// kernel itself refuses a write past the size ("No space left on device") and the host's disk never
/// sees it. The image outlives the mount: after a reboot it is mounted again with the team's work in
/// it, and an existing image is never formatted again.
/// </summary>
public static class TeamDisk
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Mounts the team's image, creating it first if there is none (idempotent).</summary>
    public static async Task EnsureMountedAsync(SandboxFolders folders, int sizeMb, CancellationToken cancellationToken)
    {
        if (await IsMountedAsync(folders, cancellationToken)) return;
        if (!File.Exists(folders.DiskImage)) await CreateImageAsync(folders, sizeMb, cancellationToken);
        Directory.CreateDirectory(folders.DiskMount);
        // mount -o loop lets the kernel free the loop device again when the filesystem is unmounted.
        await RunAsync("mount", ["-o", "loop,nosuid,nodev,noexec", folders.DiskImage, folders.DiskMount], cancellationToken);
        if (!await IsMountedAsync(folders, cancellationToken))
            throw new SandboxException($"the team's disk image {folders.DiskImage} did not appear at {folders.DiskMount}; staff can see the host's log.");
    }

    /// <summary>Whether the team's disk is mounted: <c>mountpoint</c> compares devices, so a symlinked state path cannot fool it.</summary>
    public static async Task<bool> IsMountedAsync(SandboxFolders folders, CancellationToken cancellationToken) =>
        Directory.Exists(folders.DiskMount)
        && (await ProcessRunner.RunAsync("mountpoint", ["-q", folders.DiskMount], null, CommandTimeout, cancellationToken)).ExitCode == 0;

    /// <summary>Used and total bytes of the team's mounted disk (statvfs), or null when it is not mounted.</summary>
    public static async Task<DiskUse?> UseAsync(SandboxFolders folders, CancellationToken cancellationToken)
    {
        if (!await IsMountedAsync(folders, cancellationToken)) return null;
        var drive = new DriveInfo(folders.DiskMount);
        return new DiskUse(drive.TotalSize - drive.TotalFreeSpace, drive.TotalSize, drive.AvailableFreeSpace);
    }

    private static async Task CreateImageAsync(SandboxFolders folders, int sizeMb, CancellationToken cancellationToken)
    {
        // Formatted under another name and then renamed: a file named disk.img is always a complete
        // filesystem, so an interrupted format is redone and a real image is never formatted twice.
        var fresh = folders.DiskImage + ".new";
        Directory.CreateDirectory(folders.Root);
        using (var image = new FileStream(fresh, new FileStreamOptions
               { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            image.SetLength(sizeMb * 1024L * 1024);   // sparse: the host's disk holds only what the team writes
        }
        // -m 0: no blocks reserved for root, so the team gets the whole size (nothing in it runs as root).
        await RunAsync("mkfs.ext4", ["-q", "-F", "-m", "0", fresh], cancellationToken);
        File.Move(fresh, folders.DiskImage);
    }

    private static async Task RunAsync(string command, string[] arguments, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(command, arguments, null, CommandTimeout, cancellationToken);
        if (result.ExitCode != 0)
            throw new SandboxException($"the team's disk could not be prepared: {command} failed ({result.LastErrorLine}); staff can see the host's log.");
    }
}

/// <summary>
/// How full a team's disk is, as <c>df</c> says it: used and total, and what the team can still write
/// (less than total minus used: ext4 holds a little back even with no blocks reserved for root).
/// </summary>
public sealed record DiskUse(long UsedBytes, long TotalBytes, long AvailableBytes)
{
    /// <summary>Less than 1 MB left to write: what the team sees as "full".</summary>
    public bool IsFull => AvailableBytes < 1024 * 1024;

    public override string ToString() => $"{UsedBytes / (1024 * 1024)} MB of {TotalBytes / (1024 * 1024)} MB";
}
