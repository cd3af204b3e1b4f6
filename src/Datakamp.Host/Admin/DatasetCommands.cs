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
using Npgsql;

namespace Datakamp.Host.Admin;

/// <summary>
/// Staff verbs for microdata:
/// <c>admin register-dataset --event E --name N --file PATH --unit COLUMN --policy NAME [--description TEXT]</c> and
/// <c>admin grant --event E --dataset N --team T --purpose TEXT</c>. A grant says why a team may use the data: the
/// question people whose data it is ask first.
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

    public static async Task<int> GrantAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var eventSlug = Slug.Parse(Required(options, "event"), "--event");
        var teamSlug = Slug.Parse(Required(options, "team"), "--team");
        var datasetName = Required(options, "dataset");
        var purpose = Required(options, "purpose");
        if (purpose.Length > 1000) throw new UsageException("--purpose must be at most 1000 characters");

        await using var database = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        var events = new EventRepository(database.DataSource);
        var dk = await events.FindEventAsync(eventSlug, CancellationToken.None) ?? throw new UsageException($"there is no event '{eventSlug}'");
        var team = (await events.ListTeamsAsync(dk.Id, CancellationToken.None)).FirstOrDefault(t => t.Slug == teamSlug)
                   ?? throw new UsageException($"event '{eventSlug}' has no team '{teamSlug}'");
        var datasets = new DatasetRepository(database.DataSource);
        var dataset = (await datasets.ListAsync(dk.Id, CancellationToken.None)).FirstOrDefault(d => d.Name == datasetName)
                      ?? throw new UsageException($"event '{eventSlug}' has no dataset '{datasetName}'");
        try
        {
            await datasets.GrantAsync(new DatasetGrant(dataset.Id, team.Id, purpose, actor, DateTimeOffset.UtcNow), CancellationToken.None);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return DatakampCommandLine.Fail($"team '{teamSlug}' has dataset '{datasetName}' already", ExitCodes.DataError);
        }
        await new AuditLog(database.DataSource).AppendAsync(new AuditEntry(actor, AuditActions.DatasetGranted, "dataset", dataset.Name, dk.Id, team.Id, dataset.Id,
            JsonSerializer.Serialize(new Dictionary<string, string> { ["purpose"] = purpose })), CancellationToken.None);
        Console.WriteLine($"granted dataset {datasetName} to team {eventSlug}/{teamSlug}; a running sandbox gets it at its next reconciliation (its container is replaced, the workspace stays)");
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
