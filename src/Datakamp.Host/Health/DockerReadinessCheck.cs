using Datakamp.Docker;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Datakamp.Host.Health;

/// <summary>Ready when the Docker engine answers a ping.</summary>
public sealed class DockerReadinessCheck(IContainerEngine engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            await engine.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy("engine answers");
        }
        catch (Exception e) when (e is DockerEngineUnavailableException or DockerApiException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
