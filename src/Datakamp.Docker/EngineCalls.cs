using System.Net.Sockets;

namespace Datakamp.Docker;

/// <summary>The timeout and error mapping every call shares, in <see cref="DockerEngineClient"/> and <see cref="DockerDotNetEngine"/> alike.</summary>
internal static class EngineCalls
{
    /// <summary>
    /// Runs one call under its own timeout. <paramref name="translate"/> maps a failure to our exception (null: rethrow
    /// as is), told whether the timeout rather than the caller cancelled the call.
    /// </summary>
    public static async Task<T> RunAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> call,
        Func<Exception, bool, Exception?> translate, CancellationToken cancellationToken)
    {
        using var scope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        scope.CancelAfter(timeout);
        try
        {
            return await call(scope.Token);
        }
        catch (Exception e)
        {
            var timedOut = scope.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
            if (translate(e, timedOut) is { } translated) throw translated;
            throw;
        }
    }

    /// <summary>A socket error means no engine; a failure after the timeout passed means it timed out (or, for ping and version, no engine).</summary>
    public static Exception? TranslateTransport(Exception e, SocketException? socketError, string socketPath, string request,
        TimeSpan timeout, bool timedOut, bool timeoutMeansUnavailable)
    {
        if (socketError is not null)
            return new DockerEngineUnavailableException(socketPath, DockerEngineClient.DescribeSocketError(socketError), e);
        if (timedOut && e is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
            return timeoutMeansUnavailable
                ? new DockerEngineUnavailableException(socketPath, $"no answer within {timeout.TotalSeconds:0} s", e)
                : new DockerTimeoutException(request, timeout, e);
        return null;
    }
}
