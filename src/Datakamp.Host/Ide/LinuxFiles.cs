using System.Runtime.InteropServices;

namespace Datakamp.Host.Ide;

/// <summary>
/// The few Linux system calls .NET does not offer: opening a path without following a final symlink
/// (O_PATH | O_NOFOLLOW) and asking the kernel what the opened inode is (statx on the descriptor).
/// </summary>
internal static partial class LinuxFiles
{
    private const int O_PATH = 0x200000;
    private const int O_NOFOLLOW = 0x20000;
    private const int O_CLOEXEC = 0x80000;
    private const int AT_EMPTY_PATH = 0x1000;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_UID = 0x8;

    public const int FileTypeMask = 0xF000;
    public const int Socket = 0xC000;
    public const int Symlink = 0xA000;
    public const int Directory = 0x4000;
    public const int RegularFile = 0x8000;

    /// <summary>What statx tells about an inode: its type bits and owner.</summary>
    public readonly record struct Inode(int FileType, uint OwnerUid);

    /// <summary>Opens <paramref name="path"/> as a path-only descriptor; a symlink as the last component is not followed.</summary>
    public static SafeFileDescriptor OpenPathNoFollow(string path)
    {
        var fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) throw new IOException($"cannot open {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        return new SafeFileDescriptor(fd);
    }

    public static Inode Describe(SafeFileDescriptor descriptor)
    {
        // struct statx is 256 bytes with a fixed layout on every architecture: uid at 20, mode (u16) at 28.
        Span<byte> buffer = stackalloc byte[256];
        var rc = statx(descriptor.Value, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_MODE | STATX_UID, ref MemoryMarshal.GetReference(buffer));
        if (rc != 0) throw new IOException($"statx failed: {Marshal.GetLastPInvokeErrorMessage()}");
        var uid = BitConverter.ToUInt32(buffer[20..24]);
        var mode = BitConverter.ToUInt16(buffer[28..30]);
        return new Inode(mode & FileTypeMask, uid);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int lchown(string path, int owner, int group);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int close(int fd);
}

/// <summary>A raw file descriptor that is closed exactly once.</summary>
internal sealed class SafeFileDescriptor(int fd) : IDisposable
{
    private int _fd = fd;

    public int Value => _fd >= 0 ? _fd : throw new ObjectDisposedException(nameof(SafeFileDescriptor));

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) LinuxFiles.close(fd);
    }
}
