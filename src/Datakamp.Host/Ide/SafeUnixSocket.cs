using System.Net.Sockets;

namespace Datakamp.Host.Ide;

/// <summary>
/// Connects to a unix socket that lies in a folder a sandbox can write to (the per-team folder
/// where the team's Jupyter listens), without letting the team redirect the connection.
/// <para>
/// A team can replace its socket with a symlink to any host socket, e.g. the Docker engine's (root
/// on the host), or with a regular file or a folder. So the host never connects by path. It opens the path
/// with O_PATH | O_NOFOLLOW (the last component is not followed; the folders above it belong to
/// the host), asks the kernel about the inode it got, requires a socket owned by the sandbox's
/// user, and then connects to exactly that inode through <c>/proc/self/fd/N</c>.
/// </para>
/// </summary>
public static class SafeUnixSocket
{
    public static async Task<Socket> ConnectAsync(string socketPath, uint expectedOwnerUid, CancellationToken cancellationToken)
    {
        using var descriptor = LinuxFiles.OpenPathNoFollow(socketPath);
        var inode = LinuxFiles.Describe(descriptor);
        if (inode.FileType != LinuxFiles.Socket)
            throw new UnsafeSocketException(socketPath, $"it is a {Describe(inode.FileType)}, not a socket");
        if (inode.OwnerUid != expectedOwnerUid)
            throw new UnsafeSocketException(socketPath, $"it is owned by uid {inode.OwnerUid}, not by the sandbox user {expectedOwnerUid}");

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint($"/proc/self/fd/{descriptor.Value}"), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string Describe(int fileType) => fileType switch
    {
        LinuxFiles.Symlink => "symbolic link",
        LinuxFiles.Directory => "folder",
        LinuxFiles.RegularFile => "regular file",
        _ => $"special file (type 0x{fileType:X})",
    };
}

/// <summary>A sandbox's socket path does not lead to a socket the host may use.</summary>
public sealed class UnsafeSocketException(string path, string reason)
    : IOException($"refusing to connect to {path}: {reason}");
