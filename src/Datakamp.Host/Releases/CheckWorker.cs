using Datakamp.Data.Releases;
using Datakamp.Domain.Releases;
using Datakamp.Host.Startup;

namespace Datakamp.Host.Releases;

/// <summary>
/// Runs the automated check of submitted release requests in the background, oldest first. Its work list is the
/// database (state <c>submitted</c>), not memory: after a crash or a restart it finds every pending check again, and
/// every file's result is stored once, so a check that was half done is finished, not repeated. It also publishes
/// requests left approved but unpublished by a crash between the last vote and the publication.
/// </summary>
public sealed class CheckWorker(Database database, RequestChecker checker, ReleaseWorkflow workflow, CheckSignal signal, ILogger<CheckWorker> logger)
    : BackgroundService
{
    /// <summary>How often the worker looks for work without being woken (a lost wake-up costs at most this).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database away for a moment, say: try again at the next wake-up, never end the loop.
                logger.LogWarning("Check worker pass failed: {Reason}", e.Message);
            }
            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>One pass: every pending check, then every approved request not yet published.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var releases = new ReleaseRepository(database.DataSource);
        foreach (var id in await releases.ListAwaitingCheckAsync(cancellationToken))
        {
            try
            {
                await checker.CheckAsync(id, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One request that cannot be checked now does not hold up the others; it stays submitted and is tried again.
                logger.LogError(e, "Automated check of release request {RequestId} failed; it will be tried again", id);
            }
        }
        foreach (var summary in await releases.ListAsync(null, null, [ReleaseState.Approved], cancellationToken))
            await workflow.PublishAsync(summary.Id, cancellationToken);
    }
}
