using Datakamp.Data;
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

internal sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Image)) failures.Add("Sandboxes:Image must name a local image");
        if (options.MemoryMb is < 256 or > 262144) failures.Add($"Sandboxes:MemoryMb must be between 256 and 262144 (got {options.MemoryMb})");
        if (options.Cpus is <= 0 or > 256) failures.Add($"Sandboxes:Cpus must be above 0 and at most 256 (got {options.Cpus})");
        if (options.PidsLimit is < 64 or > 65536) failures.Add($"Sandboxes:PidsLimit must be between 64 and 65536 (got {options.PidsLimit})");
        if (options.TmpMb < 16 || options.TmpMb >= options.MemoryMb) failures.Add($"Sandboxes:TmpMb must be at least 16 and below Sandboxes:MemoryMb (got {options.TmpMb})");
        if (options.WorkspaceQuotaMb is < 64 or > 4_194_304) failures.Add($"Sandboxes:WorkspaceQuotaMb must be between 64 and 4194304 (got {options.WorkspaceQuotaMb})");
        if (options.MinFreeStateDiskMb < 0) failures.Add($"Sandboxes:MinFreeStateDiskMb must be 0 or more (got {options.MinFreeStateDiskMb})");
        if (options.SandboxUid < 1000 || options.SandboxGid < 1000) failures.Add("Sandboxes:SandboxUid and SandboxGid must be unprivileged ids (1000 or more)");
        if (options.SandboxUid > 60000 - Sandboxes.SandboxPlanner.MaxTeamIds || options.SandboxGid > 60000 - Sandboxes.SandboxPlanner.MaxTeamIds)
            failures.Add($"Sandboxes:SandboxUid and SandboxGid must leave room for one id per team (at most {60000 - Sandboxes.SandboxPlanner.MaxTeamIds})");
        if (options.ReconcileIntervalSeconds is < 1 or > 3600) failures.Add($"Sandboxes:ReconcileIntervalSeconds must be between 1 and 3600 (got {options.ReconcileIntervalSeconds})");
        if (options.StopGraceSeconds is < 0 or > 300) failures.Add($"Sandboxes:StopGraceSeconds must be between 0 and 300 (got {options.StopGraceSeconds})");
        if (options.IdleStopSeconds is < 0 or > 30 * 24 * 3600) failures.Add($"Sandboxes:IdleStopSeconds must be between 0 (never) and 2592000 (got {options.IdleStopSeconds})");
        if (options.ActiveCpuCores is < 0 or > 64) failures.Add($"Sandboxes:ActiveCpuCores must be between 0 and 64 (got {options.ActiveCpuCores})");
        if (options.ReadyTimeoutSeconds is < 5 or > 600) failures.Add($"Sandboxes:ReadyTimeoutSeconds must be between 5 and 600 (got {options.ReadyTimeoutSeconds})");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
