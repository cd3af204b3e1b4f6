using System.Security.Cryptography;
using System.Text.Json;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;
using Datakamp.Domain;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Datasets;
using Datakamp.Host.Cli;

namespace Datakamp.Host.Admin;

/// <summary>
/// Staff verb for microdata: <c>admin register-dataset --event E --name N --file PATH --unit COLUMN --policy NAME [--description TEXT]</c>.
/// Granting it to teams: <see cref="GrantCommands"/>.
/// </summary>
internal static class DatasetCommands
{
    public static async Task<int> RegisterAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var eventSlug = Slug.Parse(Required(options, "event"), "--event");
        var name = Required(options, "name");
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9_-]{0,39}$"))
            throw new UsageException($"--name '{name}' must be 1-40 lower-case letters, digits, '-' or '_' (it becomes /data/{name}.csv in sandboxes)");
        var file = Path.GetFullPath(Required(options, "file"));
        var unit = Required(options, "unit");
        var policyName = Required(options, "policy");
        if (!File.Exists(file)) throw new UsageException($"--file {file} does not exist");

        var policyFile = Path.Combine(Path.GetFullPath(configuration.Storage.PoliciesDirectory), $"{policyName}.yaml");
        if (!File.Exists(policyFile)) throw new UsageException($"--policy '{policyName}': there is no {policyFile}");
        PolicyLoader.LoadFile(policyFile);   // a broken policy is refused now, not at the first check

        IReadOnlyList<string> columns;
        using (var reader = new CsvReader(File.OpenRead(file), Path.GetFileName(file)))
            columns = reader.ReadHeader();
        if (!columns.Contains(unit)) throw new UsageException($"--unit '{unit}' is not a column of {Path.GetFileName(file)} (columns: {string.Join(", ", columns)})");

        string sha256;
        await using (var stream = File.OpenRead(file)) sha256 = Convert.ToHexString(await SHA256.HashDataAsync(stream)).ToLowerInvariant();

        await using var database = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        var dk = await new EventRepository(database.DataSource).FindEventAsync(eventSlug, CancellationToken.None)
                 ?? throw new UsageException($"there is no event '{eventSlug}'");
        var dataset = await new DatasetRepository(database.DataSource).RegisterAsync(new Dataset(0, dk.Id, name, options.GetValueOrDefault("description", ""),
            file, sha256, new FileInfo(file).Length, columns, unit, policyName), CancellationToken.None);
        await new AuditLog(database.DataSource).AppendAsync(new AuditEntry(actor, AuditActions.DatasetRegistered, "dataset", name, dk.Id, DatasetId: dataset.Id,
            DetailsJson: JsonSerializer.Serialize(new Dictionary<string, string> { ["sha256"] = sha256, ["policy"] = policyName, ["file"] = file })), CancellationToken.None);
        Console.WriteLine($"registered dataset {name} of event {eventSlug}: {columns.Count} columns, unit {unit}, policy {policyName}, sha256 {sha256}");
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
