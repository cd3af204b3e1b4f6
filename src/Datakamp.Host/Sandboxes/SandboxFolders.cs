namespace Datakamp.Host.Sandboxes;

/// <summary>
/// A team's folders on the host: <c>workspace</c> (its work, kept across restarts and resets) and
/// <c>outbox</c> (what it wants released), both inside the team's disk image mounted at <c>disk</c>
/// (<see cref="TeamDisk"/>: the quota), and <c>jupyter</c> (where its IDE's socket appears), outside
/// the image so that the IDE proxy's view of the socket does not depend on a mount.
/// The three belong to the sandbox user and are team-writable: the host treats everything in
/// them as hostile input: a team can put a symlink, a file or a socket of its own choosing anywhere in them.
/// </summary>
public sealed record SandboxFolders(string Root)
{
    public string DiskImage => Path.Combine(Root, "disk.img");
    public string DiskMount => Path.Combine(Root, "disk");
    public string Workspace => Path.Combine(DiskMount, "workspace");
    public string Outbox => Path.Combine(DiskMount, "outbox");
    public string JupyterSocketFolder => Path.Combine(Root, "jupyter");
    public string JupyterSocket => Path.Combine(JupyterSocketFolder, "nb.sock");

    public static SandboxFolders For(string stateDirectory, string eventSlug, string teamSlug) =>
        new(Path.Combine(stateDirectory, "sandboxes", eventSlug, teamSlug));

    /// <summary>
    /// Creates the folders (idempotent) and hands them to the sandbox user, readable by no one else.
    /// The team's disk must be mounted first (<see cref="TeamDisk.EnsureMountedAsync"/>): otherwise workspace
    /// and outbox would land on the host's disk.
    /// </summary>
    public void Prepare(int uid, int gid)
    {
        // The folders above the team's own belong to the host and must not be team-writable: the host
        // relies on that when it opens the socket (only the last path component is team-controlled).
        foreach (var folder in new[] { Workspace, Outbox, JupyterSocketFolder })
        {
            Directory.CreateDirectory(folder);
            var info = new DirectoryInfo(folder);
            if (info.LinkTarget is not null) throw new IOException($"{folder} is a symbolic link; refusing to use it");
            LinuxOwnership.Change(folder, uid, gid);
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
        }
    }

    /// <summary>Removes a socket left by an earlier run: the file outlives its container and would confuse the next start.</summary>
    public void RemoveStaleSocket()
    {
        var entry = new FileInfo(JupyterSocket);
        if (entry.Exists || entry.LinkTarget is not null) entry.Delete();     // a symlink is removed itself, never followed
        else if (Directory.Exists(JupyterSocket)) Directory.Delete(JupyterSocket, recursive: true);
    }
}
