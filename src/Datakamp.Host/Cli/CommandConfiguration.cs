using Datakamp.Data;
using Datakamp.Host.Options;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Cli;

/// <summary>
/// Configuration for command-line verbs other than <c>serve</c>, from the same sources with the same
/// precedence as the host (appsettings.json beside the executable, DATAKAMP_* variables, then
/// --Section:Key=value arguments), bound and validated by the same validators.
/// </summary>
internal sealed class CommandConfiguration
{
    private readonly IConfiguration _configuration;

    private CommandConfiguration(IConfiguration configuration) => _configuration = configuration;

    public static CommandConfiguration Build(string[] settings)
    {
        foreach (var setting in settings)
        {
            if (!setting.StartsWith("--", StringComparison.Ordinal) || !setting.Contains('='))
                throw new UsageException($"'{setting}' is not a setting; write settings as --Section:Key=value");
        }
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables("DATAKAMP_")
            .AddCommandLine(settings)
            .Build();
        return new CommandConfiguration(configuration);
    }

    public TOptions Get<TOptions>(string section, IValidateOptions<TOptions> validator) where TOptions : class, new()
    {
        var options = new TOptions();
        _configuration.GetSection(section).Bind(options);
        var result = validator.Validate(null, options);
        if (result.Failed) throw new OptionsValidationException(section, typeof(TOptions), result.Failures);
        return options;
    }

    public DatabaseOptions Database => Get(DatabaseOptions.Section, new DatabaseOptionsValidator());

    public StorageOptions Storage => Get(StorageOptions.Section, new StorageOptionsValidator());
}
