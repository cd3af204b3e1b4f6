using Datakamp.Data;
using Datakamp.Host.Startup;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Datakamp.Host.Health;

/// <summary>Ready when the database answers and its schema is exactly the one this build knows.</summary>
public sealed class DatabaseReadinessCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (!database.IsOpen) return HealthCheckResult.Unhealthy("database not started");
        try
        {
            var status = await database.Migrator.GetStatusAsync(cancellationToken);
            return status.IsCurrent
                ? HealthCheckResult.Healthy($"schema version {status.AppliedVersion}")
                : HealthCheckResult.Unhealthy($"schema version {status.AppliedVersion}, expected {status.LatestKnownVersion}");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"database not reachable: {e.Message}");
        }
    }
}
