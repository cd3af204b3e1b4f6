using System.Net.Sockets;
using System.Text.Json;

namespace Datakamp.Docker;

/// <summary>The timeout and the mapping of failures to our three exceptions, shared by every call of <see cref="DockerDotNetEngine"/>.</summary>
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
            return new DockerEngineUnavailableException(socketPath, DescribeSocketError(socketError), e);
        if (timedOut && e is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
            return timeoutMeansUnavailable
                ? new DockerEngineUnavailableException(socketPath, $"no answer within {timeout.TotalSeconds:0} s", e)
                : new DockerTimeoutException(request, timeout, e);
        return null;
    }

    /// <summary>Why a unix socket could not be reached, in words for staff.</summary>
    public static string DescribeSocketError(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => "the socket file does not exist",
        SocketError.ConnectionRefused => "nothing is listening (is dockerd running?)",
        SocketError.AccessDenied => "permission denied on the socket",
        _ => e.Message,
    };

    /// <summary>The <c>message</c> of an engine error body (<c>{"message": "..."}</c>), or the start of the body when it is something else.</summary>
    public static string ExtractMessage(string? body)
    {
        body ??= "";
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                ? message.GetString()!
                : body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
