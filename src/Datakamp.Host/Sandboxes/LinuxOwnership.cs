using System.Runtime.InteropServices;
using Datakamp.Host.Ide;

namespace Datakamp.Host.Sandboxes;

/// <summary>Hands a host path to the sandbox user (lchown: a symlink is never followed).</summary>
internal static class LinuxOwnership
{
    public static void Change(string path, int uid, int gid)
    {
        if (LinuxFiles.lchown(path, uid, gid) != 0)
            throw new IOException($"cannot give {path} to uid {uid}: {Marshal.GetLastPInvokeErrorMessage()} (the host must run as root to prepare sandboxes)");
    }
}
