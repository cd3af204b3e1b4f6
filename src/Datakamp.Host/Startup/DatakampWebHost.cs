using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Docker;
using Datakamp.Host.Accounts;
using Datakamp.Host.Demo;
using Datakamp.Host.Health;
using Datakamp.Host.Options;
using Datakamp.Host.Ide;
using Datakamp.Host.Pages;
using Datakamp.Releases;
using Datakamp.Host.Sandboxes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Startup;

/// <summary>Builds the web host: configuration, services in start-up order, endpoints.</summary>
public static class DatakampWebHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        ArrangeConfigurationSources(builder.Configuration);

        var services = builder.Services;
        AddValidatedOptions<StorageOptions, StorageOptionsValidator>(services, StorageOptions.Section);
        AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(services, DatabaseOptions.Section);
        AddValidatedOptions<DockerEngineOptions, DockerOptionsValidator>(services, "Docker");
        AddValidatedOptions<DemoOptions, DemoOptionsValidator>(services, DemoOptions.Section);
        AddValidatedOptions<SandboxOptions, SandboxOptionsValidator>(services, SandboxOptions.Section);

        services.AddSingleton<Database>();
        // Singletons constructed before the database starts: each reads Database.DataSource only when a method runs.
        services.AddSingleton<AccountRepository>();
        services.AddSingleton<EventRepository>();
        services.AddSingleton<DatasetRepository>();
        services.AddSingleton<SandboxRepository>();
        services.AddSingleton<DeclarationRepository>();
        services.AddSingleton<ReleaseRepository>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IContainerEngine>(provider => new DockerDotNetEngine(provider.GetRequiredService<IOptions<DockerEngineOptions>>().Value));
        // Everything else asks the runtime seam, not the engine: a Kubernetes runtime could replace this line.
        services.AddSingleton<ISandboxRuntime, DockerSandboxRuntime>();

        // Hosted services start in this order and stop in reverse: the engine check is cheap and
        // comes first; the database must be up before anything uses it and goes down last.
        services.AddHostedService<DockerEngineStartupCheck>();
        services.AddHostedService<DatabaseLifetime>();
        services.AddHostedService<DemoEventSeeder>();

        // Sandboxes and the IDE proxy in front of them.
        services.AddHttpForwarder();
        services.AddSingleton<IdeConnections>();
        services.AddSingleton<IdeSessionRegistry>();
        services.AddSingleton<IIdeSessionDirectory>(provider => provider.GetRequiredService<IdeSessionRegistry>());
        services.AddSingleton<SandboxPlanner>();
        services.AddSingleton<IdeReadiness>();
        services.AddSingleton<SandboxManager>();
        services.AddSingleton<SandboxReconciler>();
        services.AddHostedService(provider => provider.GetRequiredService<SandboxReconciler>());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IdeActivity>();
        services.AddSingleton<IdeSessionAudit>();
        services.AddSingleton<IIdeSessionLog>(provider => provider.GetRequiredService<IdeSessionAudit>());
        services.AddHostedService(provider => provider.GetRequiredService<IdeSessionAudit>());
        services.AddSingleton<IdeProblems>();
        services.AddSingleton<SandboxIdleMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<SandboxIdleMonitor>());

        // Release requests: intake into the content store, the workflow, and the check worker.
        services.AddDatakampReleases(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return (storage.ResolvedStateDirectory, storage.PoliciesDirectory);
        });

        // Sign-in cookies and form tokens are protected with keys kept in the state folder, so a restart (or a crash)
        // does not sign everyone out or void the forms people have open.
        services.AddDataProtection().SetApplicationName("datakamp");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, ILoggerFactory>((options, storage, loggers) =>
        {
            var keys = Directory.CreateDirectory(Path.Combine(storage.Value.ResolvedStateDirectory, "keys"));
            File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            options.XmlRepository = new FileSystemXmlRepository(keys, loggers);
        });

        services.AddDatakampAccounts();
        services.AddProblemDetails();
        services.AddDatakampHealthChecks();

        var app = builder.Build();
        // Unhandled errors and bodiless error answers become a page in words (problem+json for programs); details go to
        // the log, never to the person.
        app.UseDatakampErrorPages();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapDatakampHealthEndpoints();
        app.MapHomePage();
        app.MapRazorPages();
        app.MapIdeProxy();
        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddresses(app));
        return app;
    }

    private static void AddValidatedOptions<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }

    /// <summary>
    /// Precedence, lowest first: appsettings.json beside the executable, appsettings.json in the
    /// content root, DATAKAMP_* environment variables (DATAKAMP_Database__ConnectionString), then the
    /// command line (--Database:ConnectionString=...).
    /// </summary>
    private static void ArrangeConfigurationSources(ConfigurationManager configuration)
    {
        var sources = configuration.Sources;
        var firstJson = sources.ToList().FindIndex(source => source is JsonConfigurationSource);
        var besideExecutable = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Optional = true, ReloadOnChange = false };
        besideExecutable.ResolveFileProvider();
        sources.Insert(Math.Max(firstJson, 0), besideExecutable);

        var commandLine = sources.ToList().FindIndex(source => source is CommandLineConfigurationSource);
        var environment = new EnvironmentVariablesConfigurationSource { Prefix = "DATAKAMP_" };
        if (commandLine >= 0) sources.Insert(commandLine, environment);
        else sources.Add(environment);
    }

    private static void AnnounceAddresses(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses) Console.WriteLine($"Datakamp is running at {address}/");
    }
}
