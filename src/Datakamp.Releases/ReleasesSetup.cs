using Microsoft.Extensions.DependencyInjection;

namespace Datakamp.Releases;

/// <summary>Wires the release path into a host: the content store, intake, the workflow, and the check worker (a hosted service).
/// The host provides what the release path shares with it: the Database, the AuditTrail and the repositories.</summary>
public static class ReleasesSetup
{
    /// <param name="services">The host's services.</param>
    /// <param name="folders">
    /// From the host's settings: its state folder (the store lives in <c>store/</c>, the checker's scratch copies in
    /// <c>check/</c>, the datasets' columnar caches in <c>microdata-cache/</c>) and the folder of disclosure policies. Both made absolute.
    /// </param>
    public static IServiceCollection AddDatakampReleases(this IServiceCollection services, Func<IServiceProvider, (string StateDirectory, string PoliciesDirectory)> folders)
    {
        services.AddSingleton(provider => new ContentStore(Path.Combine(Path.GetFullPath(folders(provider).StateDirectory), "store")));
        services.AddSingleton(provider =>
        {
            var (state, policies) = folders(provider);
            return new CheckerFolders(Path.Combine(Path.GetFullPath(state), "check"), Path.GetFullPath(policies));
        });
        services.AddSingleton(provider => DatasetCaches.In(folders(provider).StateDirectory));
        services.AddSingleton<OutboxIntake>();
        services.AddSingleton(IntakeLimits.Default);
        services.AddSingleton<CheckSignal>();
        services.AddSingleton<ReleaseWorkflow>();
        services.AddSingleton<EventPresentation>();
        services.AddSingleton<VerifiedContentReader>();
        services.AddSingleton<RequestChecker>();
        services.AddSingleton<CheckWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<CheckWorker>());
        return services;
    }
}
