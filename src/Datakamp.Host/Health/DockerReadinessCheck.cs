using Datakamp.Docker;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Datakamp.Host.Health;

/// <summary>Ready when the sandbox runtime (the Docker engine) answers.</summary>
public sealed class DockerReadinessCheck(ISandboxRuntime runtime) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.DescribeAsync(cancellationToken);
            return HealthCheckResult.Healthy("engine answers");
        }
        catch (Exception e) when (e is DockerEngineUnavailableException or DockerApiException)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
