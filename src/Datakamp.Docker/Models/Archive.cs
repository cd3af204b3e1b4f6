namespace Datakamp.Docker;

/// <summary>
/// The decoded <c>X-Docker-Container-Path-Stat</c> header of an archive response: what the requested path is
/// (<c>mode</c> is a Go <c>os.FileMode</c>, with type bits above the permission bits).
/// </summary>
public sealed record ContainerPathStat(string Name, long Size, uint Mode, DateTimeOffset Mtime, string? LinkTarget)
{
    public bool IsDirectory => (Mode & (1u << 31)) != 0;

    public bool IsSymlink => (Mode & (1u << 27)) != 0;

    /// <summary>The nine permission bits plus setuid/setgid/sticky as in Unix (Go keeps those elsewhere).</summary>
    public uint Permissions => Mode & 0x1FF;
}

/// <summary>
/// A tar stream of a path in a container (<c>GET /containers/{id}/archive</c>): nothing in it is followed, a symlink
/// stays a symlink entry. Dispose it to release the connection. The call's timeout covers reading the stream too:
/// when it passes, reads throw <see cref="DockerTimeoutException"/>.
/// </summary>
public sealed class ContainerArchive : IDisposable, IAsyncDisposable
{
    private readonly IDisposable? _resources;

    /// <summary>A tar stream and what to release with it (the response, for the engine client; public for other engines and fakes).</summary>
    public ContainerArchive(ContainerPathStat stat, Stream tar, IDisposable? resources = null)
    {
        Stat = stat;
        Tar = tar;
        _resources = resources;
    }

    public ContainerPathStat Stat { get; }

    /// <summary>The uncompressed tar stream; read it with <c>System.Formats.Tar.TarReader</c>.</summary>
    public Stream Tar { get; }

    public void Dispose()
    {
        Tar.Dispose();
        _resources?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
