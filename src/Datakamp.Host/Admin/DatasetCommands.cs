using Datakamp.Host.Cli;

namespace Datakamp.Host.Admin;

/// <summary>
/// Staff verb for microdata: <c>admin register-dataset --event E --name N --file PATH --unit COLUMN --policy NAME [--description TEXT]</c>.
/// The file is checked (whole, as strict UTF-8 CSV), hashed and audited by the staff console's service, as on the web.
/// Granting it to teams: <see cref="GrantCommands"/>.
/// </summary>
internal static class DatasetCommands
{
    public static async Task<int> RegisterAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var name = Required(options, "name");
        var file = Path.GetFullPath(Required(options, "file"));
        var unit = Required(options, "unit");
        var policy = Required(options, "policy");

        await using var services = await StaffServicesForCommand.OpenAsync(configuration);
        var dk = await EventCommands.FindEventAsync(options, services.Events);
        var dataset = await services.DataAccess.RegisterAsync(dk.Id, name, file, unit, policy, options.GetValueOrDefault("description", ""), actor, CancellationToken.None);
        Console.WriteLine($"registered dataset {dataset.Name} of event {dk.Slug}: {dataset.Columns.Count} columns, unit {dataset.UnitColumn}, policy {dataset.Policy}, sha256 {dataset.Sha256}");
        return ExitCodes.Ok;
    }

    internal static string Required(IReadOnlyDictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : throw new UsageException($"--{name} is required");

    /// <summary>Splits "--key value" options from "--Section:Key=value" settings.</summary>
    public static (Dictionary<string, string> Options, List<string> Settings) Split(string[] args, params string[] flags)
    {
        var options = new Dictionary<string, string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && (arg.Contains(':') || arg.Contains('='))) { settings.Add(arg); continue; }
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unexpected argument '{arg}'");
            var key = arg[2..];
            if (flags.Contains(key)) { options[key] = "true"; continue; }
            if (i + 1 >= args.Length) throw new UsageException($"{arg} needs a value");
            options[key] = args[++i];
        }
        return (options, settings);
    }
}
