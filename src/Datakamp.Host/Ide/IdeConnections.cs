using System.Collections.Concurrent;
using System.Net;

namespace Datakamp.Host.Ide;

/// <summary>
/// One HTTP connection pool per running IDE session, each connecting only through
/// <see cref="SafeUnixSocket"/>. A new session (new socket, token or uid) gets a new pool.
/// </summary>
public sealed class IdeConnections : IDisposable
{
    private readonly ConcurrentDictionary<IdeSession, HttpMessageInvoker> _pools = new();

    public HttpMessageInvoker For(IdeSession session)
    {
        foreach (var stale in _pools.Keys.Where(key => key.EventSlug == session.EventSlug && key.TeamSlug == session.TeamSlug && key != session))
        {
            if (_pools.TryRemove(stale, out var old)) old.Dispose();
        }
        return _pools.GetOrAdd(session, Create);
    }

    /// <summary>A GET to the team's Jupyter as the host itself (with the session's token), bounded by <paramref name="timeout"/>.</summary>
    public async Task<HttpResponseMessage> GetAsync(IdeSession session, string relativePath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://localhost{session.BasePath}{relativePath}");
        request.Headers.TryAddWithoutValidation("Authorization", $"token {session.Token}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var response = await For(session).SendAsync(request, limit.Token);
        await response.Content.LoadIntoBufferAsync(limit.Token);
        return response;
    }

    private static HttpMessageInvoker Create(IdeSession session) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, cancellationToken) =>
            new System.Net.Sockets.NetworkStream(await SafeUnixSocket.ConnectAsync(session.SocketPath, session.SandboxUid, cancellationToken), ownsSocket: true),
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    }, disposeHandler: true);

    public void Dispose()
    {
        foreach (var pool in _pools.Values) pool.Dispose();
        _pools.Clear();
    }
}
