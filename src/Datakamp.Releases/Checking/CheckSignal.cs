using System.Threading.Channels;

namespace Datakamp.Releases;

/// <summary>
/// Wakes the check worker when a request is submitted, so a check starts at once instead of at the next poll. Only a
/// hint: the worker finds its work in the database, so a lost signal (a crash) delays a check but never loses one.
/// </summary>
public sealed class CheckSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or until <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try { await _channel.Reader.ReadAsync(limit.Token); }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
    }
}
