using System.Net.Sockets;

namespace Datakamp.Docker;

/// <summary>
/// An HTTP handler whose every connection is a unix-domain socket. The host part of request URLs is
/// ignored; the Engine API documentation uses <c>http://localhost/v1.NN/...</c> the same way.
/// </summary>
public static class UnixSocketHttpHandler
{
    public static SocketsHttpHandler Create(string socketPath) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        // Engine connections are cheap and local; do not keep idle ones around for long.
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    };
}
