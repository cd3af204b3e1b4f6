using Datakamp.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Datakamp.Data.Releases;
using Datakamp.Domain.Releases;

namespace Datakamp.Releases;

/// <summary>
/// Runs the automated check of submitted files in the background. Its work list is the durable queue in PostgreSQL
/// (<see cref="ReleaseCheckQueue"/>), not memory: it is woken at submit (<see cref="CheckSignal"/>) and otherwise looks
/// every <see cref="PollInterval"/>, so a lost wake-up delays a check but never loses one, and after a crash or a
/// restart the checks that were claimed but not finished are simply claimed again. When idle it also publishes requests
/// left approved but unpublished by a crash between the last vote and the publication.
/// </summary>
public sealed class CheckWorker(Database database, ReleaseRepository releases, RequestChecker checker, ReleaseWorkflow workflow, CheckSignal signal, ILogger<CheckWorker> logger)
    : BackgroundService
{
    /// <summary>How often the worker looks for work without being woken.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many requests are checked at once: one per core, at most 4. The queue hands each request to one loop only
    /// (<c>SKIP LOCKED</c>), so a burst of submissions is checked in parallel and one request never twice.
    /// </summary>
    public static int Loops { get; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Loops).Select(i => LoopAsync(publishes: i == 0, stoppingToken)));

    private async Task LoopAsync(bool publishes, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = false;
            try
            {
                worked = await RunOnceAsync(stoppingToken, publishes);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database away for a moment, say: try again at the next wake-up, never end the loop.
                logger.LogWarning("Check worker pass failed: {Reason}", e.Message);
            }
            if (worked) signal.Wake();   // there may be more: let an idle loop look too
            else await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>
    /// Checks one request version from the queue; with nothing queued, publishes what waits for it (when
    /// <paramref name="publishes"/>: one loop does that). False when idle.
    /// </summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken, bool publishes = true)
    {
        var queue = new ReleaseCheckQueue(database.DataSource);
        long requestId;
        int version;
        await using (var claim = await queue.ClaimNextAsync(cancellationToken))
        {
            if (claim is null)
            {
                if (publishes) await PublishApprovedAsync(cancellationToken);
                return false;
            }
            (requestId, version) = (claim.RequestId, claim.Version);
            try
            {
                await checker.CheckAsync(claim, cancellationToken);
                return true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Not the engine (its faults are results): the store or the database. The claim rolls back at the end of
                // this block; the failure is counted, and after RequestChecker.MaxAttempts the files go to a person.
                logger.LogError(e, "Automated check of release request {RequestId} version {Version} failed; it will be tried again", requestId, version);
                await claim.DisposeAsync();
                await queue.RecordFailureAsync(requestId, version, e.Message, cancellationToken);
                return true;
            }
        }
    }

    /// <summary>Approved requests this worker already tried to publish (a file that did not verify is audited once, not every pass).</summary>
    private readonly HashSet<long> _publishTried = [];

    private async Task PublishApprovedAsync(CancellationToken cancellationToken)
    {
        foreach (var summary in await releases.ListAsync(null, null, [ReleaseState.Approved], cancellationToken))
        {
            if (!_publishTried.Add(summary.Id)) continue;
            try
            {
                await workflow.PublishAsync(summary.Id, cancellationToken);
            }
            catch (ReleaseRefusedException e)
            {
                logger.LogWarning("Release request {RequestId} could not be published: {Reason}", summary.Id, e.Message);
            }
        }
    }
}
