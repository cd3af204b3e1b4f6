using Datakamp.Docker;
using Datakamp.Host.Cli;

namespace Datakamp.Host.Startup;

/// <summary>
/// Refuses to start without a Docker engine: every team sandbox runs on it, so a host without one
/// would accept an event it cannot run.
/// </summary>
public sealed class DockerEngineStartupCheck(ISandboxRuntime runtime, ILogger<DockerEngineStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var runtimeDescription = await runtime.DescribeAsync(cancellationToken);
            logger.LogInformation("{Runtime} {Version} (API {ApiVersion}) answers", runtimeDescription.Kind, runtimeDescription.Version, runtimeDescription.ApiVersion);
        }
        catch (DockerEngineUnavailableException e)
        {
            throw new StartupException(StartupChecks.DockerHint(e), ExitCodes.Unavailable, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static class StartupChecks
{
    public static string DockerHint(DockerEngineUnavailableException e) =>
        $"{e.Message}; start it with 'bash scripts/setup' (installs and starts dockerd), or set Docker:SocketPath to where your engine listens.";
}
