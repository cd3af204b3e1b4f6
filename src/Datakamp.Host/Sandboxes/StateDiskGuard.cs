namespace Datakamp.Host.Sandboxes;

/// <summary>
/// Refuses to start a sandbox when the host's state disk is nearly full. Team images are sparse and
/// grow as teams write, and the same disk holds PostgreSQL and the release store: a start is where
/// more use begins, so that is where the host says no, before anything else runs short.
/// </summary>
public static class StateDiskGuard
{
    public const string TeamAdvice = "ask staff: the host's disk is nearly full";

    public static void EnsureRoomToStart(string stateDirectory, int minFreeMb)
    {
        // The state folder is where the team's folders go next; on a fresh installation it may not be there yet, and
        // DriveInfo of a missing path fails with "could not find the drive" instead of measuring the disk.
        Directory.CreateDirectory(stateDirectory);
        var freeMb = new DriveInfo(stateDirectory).AvailableFreeSpace / (1024 * 1024);
        if (freeMb < minFreeMb)
            throw new SandboxException($"no sandbox starts: the host's state disk has {freeMb} MB free, below the minimum of {minFreeMb} MB (Sandboxes:MinFreeStateDiskMb); {TeamAdvice}.");
    }
}
