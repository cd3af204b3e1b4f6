using Datakamp.Docker;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Options;

// Each validator names the full configuration key of a bad value, so the one-line start-up error
// tells the person exactly what to change (in appsettings.json, DATAKAMP_Section__Key, or --Section:Key).

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.StateDirectory)
            ? ValidateOptionsResult.Fail("Storage:StateDirectory must name a folder")
            : ValidateOptionsResult.Success;
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var failures = new List<string>();
        if (options.ConnectTimeoutSeconds is < 1 or > 300)
            failures.Add($"Database:ConnectTimeoutSeconds must be between 1 and 300 (got {options.ConnectTimeoutSeconds})");
        if (!options.UsesEmbeddedCluster)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException e)
            {
                failures.Add($"Database:ConnectionString is not a valid connection string ({e.Message})");
            }
        }
        if (string.IsNullOrWhiteSpace(options.ServerUser))
            failures.Add("Database:ServerUser must name a local user");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class DockerOptionsValidator : IValidateOptions<DockerEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, DockerEngineOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SocketPath) || !options.SocketPath.StartsWith('/'))
            failures.Add($"Docker:SocketPath must be an absolute path to the engine's unix socket (got '{options.SocketPath}')");
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.ApiVersion ?? "", @"^1\.\d{2}$"))
            failures.Add($"Docker:ApiVersion must look like 1.41 (got '{options.ApiVersion}')");
        if (options.RequestTimeout <= TimeSpan.Zero)
            failures.Add($"Docker:RequestTimeout must be positive (got {options.RequestTimeout})");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options) =>
        options.Persons is < 100 or > 50_000_000
            ? ValidateOptionsResult.Fail($"Demo:Persons must be between 100 and 50000000 (got {options.Persons})")
            : ValidateOptionsResult.Success;
}
