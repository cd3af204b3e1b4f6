using System.Net.Sockets;
using System.Text;
using Datakamp.Host.Ide;

namespace Datakamp.Host.Tests.Ide;

/// <summary>
/// Hostile things a team can put where the host expects its Jupyter socket: the folder is team-writable, so a symlink,
/// a file, a folder or a socket of another owner may be there instead.
/// </summary>
public sealed class SafeUnixSocketTests : IDisposable
{
    private static readonly uint Me = CurrentUid();
    private readonly string _folder = Directory.CreateTempSubdirectory("dk-sock-").FullName;
    private readonly List<Socket> _listeners = [];

    private static uint CurrentUid() => uint.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);

    private Socket Listen(string name)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(_folder, name)));
        listener.Listen();
        _listeners.Add(listener);
        return listener;
    }

    [Fact]
    public async Task A_real_socket_owned_by_the_sandbox_user_is_connected()
    {
        var listener = Listen("nb.sock");

        using var client = await SafeUnixSocket.ConnectAsync(Path.Combine(_folder, "nb.sock"), Me, TestContext.Current.CancellationToken);
        using var server = await listener.AcceptAsync(TestContext.Current.CancellationToken);
        await client.SendAsync(Encoding.ASCII.GetBytes("ping"), TestContext.Current.CancellationToken);
        var buffer = new byte[4];
        Assert.Equal(4, await server.ReceiveAsync(buffer, TestContext.Current.CancellationToken));
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public async Task A_symlink_to_another_host_socket_is_refused_and_that_socket_never_sees_a_connection()
    {
        var hostSocket = Listen("host-engine.sock");
        hostSocket.Blocking = false;
        File.CreateSymbolicLink(Path.Combine(_folder, "nb.sock"), Path.Combine(_folder, "host-engine.sock"));

        var error = await Assert.ThrowsAsync<UnsafeSocketException>(() =>
            SafeUnixSocket.ConnectAsync(Path.Combine(_folder, "nb.sock"), Me, TestContext.Current.CancellationToken));

        Assert.Contains("symbolic link", error.Message);
        Assert.False(hostSocket.Poll(100_000, SelectMode.SelectRead), "nothing connected to the host socket");
    }

    [Fact]
    public async Task A_regular_file_or_a_folder_in_place_of_the_socket_is_refused()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "file.sock"), "not a socket", TestContext.Current.CancellationToken);
        Directory.CreateDirectory(Path.Combine(_folder, "dir.sock"));

        var file = await Assert.ThrowsAsync<UnsafeSocketException>(() => SafeUnixSocket.ConnectAsync(Path.Combine(_folder, "file.sock"), Me, TestContext.Current.CancellationToken));
        var folder = await Assert.ThrowsAsync<UnsafeSocketException>(() => SafeUnixSocket.ConnectAsync(Path.Combine(_folder, "dir.sock"), Me, TestContext.Current.CancellationToken));

        Assert.Contains("regular file", file.Message);
        Assert.Contains("folder", folder.Message);
    }

    [Fact]
    public async Task A_socket_owned_by_someone_else_than_the_sandbox_user_is_refused()
    {
        Listen("nb.sock");

        var error = await Assert.ThrowsAsync<UnsafeSocketException>(() =>
            SafeUnixSocket.ConnectAsync(Path.Combine(_folder, "nb.sock"), 47000, TestContext.Current.CancellationToken));

        Assert.Contains($"owned by uid {Me}, not by the sandbox user 47000", error.Message);
    }

    [Fact]
    public async Task A_missing_socket_is_an_io_error_naming_the_path()
    {
        var error = await Assert.ThrowsAsync<IOException>(() =>
            SafeUnixSocket.ConnectAsync(Path.Combine(_folder, "nb.sock"), Me, TestContext.Current.CancellationToken));

        Assert.Contains(Path.Combine(_folder, "nb.sock"), error.Message);
    }

    public void Dispose()
    {
        foreach (var listener in _listeners) listener.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
