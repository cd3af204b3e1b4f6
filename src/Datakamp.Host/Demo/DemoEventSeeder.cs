using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Audit;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.Host.Options;
using Datakamp.Host.Startup;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Demo;

/// <summary>
/// With <c>Demo:Seed</c> on, creates a demo event with two teams and synthetic persons microdata
/// granted to both, unless the demo event exists already (a restart keeps what is there).
/// </summary>
public sealed class DemoEventSeeder(
    IOptions<DemoOptions> demoOptions, IOptions<StorageOptions> storageOptions, Database database, ILogger<DemoEventSeeder> logger) : IHostedService
{
    public static readonly Slug EventSlug = Slug.Parse("demo", "demo event");
    public const string DatasetName = "persons";
    public const int Seed = 20261122;

    /// <summary>Who the audit trail names for what the seed did.</summary>
    public const string Actor = "system:demo-seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!demoOptions.Value.Seed) return;
        var events = new EventRepository(database.DataSource);
        if (await events.FindEventAsync(EventSlug, cancellationToken) is not null)
        {
            logger.LogInformation("Demo event '{Event}' exists; keeping it", EventSlug);
            return;
        }

        var audit = new AuditLog(database.DataSource);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var demo = await events.CreateEventAsync(EventSlug, "Datakamp demo: poverty and debt", today, today.AddDays(2), cancellationToken);
        await audit.AppendAsync(new AuditEntry(Actor, AuditActions.EventCreated, "event", demo.Slug.Value, demo.Id), cancellationToken);
        var teams = new[]
        {
            await events.CreateTeamAsync(demo.Id, Slug.Parse("noord", "team"), "Team Noord", cancellationToken),
            await events.CreateTeamAsync(demo.Id, Slug.Parse("zuid", "team"), "Team Zuid", cancellationToken),
        };
        foreach (var team in teams)
            await audit.AppendAsync(new AuditEntry(Actor, AuditActions.TeamCreated, "team", team.Slug.Value, demo.Id, team.Id), cancellationToken);

        var file = Path.Combine(storageOptions.Value.ResolvedStateDirectory, "demo", "persons.csv");
        await WriteMicrodataAsync(file, demoOptions.Value.Persons, cancellationToken);
        var datasets = new DatasetRepository(database.DataSource);
        var dataset = await datasets.RegisterAsync(new Dataset(0, demo.Id, DatasetName,
            "Synthetic persons (invented, not real people): district, age band, household type, income, benefit, debt assistance.",
            file, await Sha256Async(file, cancellationToken), new FileInfo(file).Length,
            SyntheticPersons.Columns, "person_id", "cbs-persons"), cancellationToken);
        await audit.AppendAsync(new AuditEntry(Actor, AuditActions.DatasetRegistered, "dataset", dataset.Name, demo.Id, DatasetId: dataset.Id,
            DetailsJson: JsonSerializer.Serialize(new Dictionary<string, string> { ["sha256"] = dataset.Sha256, ["policy"] = dataset.Policy })), cancellationToken);
        foreach (var team in teams)
        {
            const string purpose = "Demo: who in which district needs debt assistance?";
            await datasets.GrantAsync(new DatasetGrant(dataset.Id, team.Id, purpose, Actor, DateTimeOffset.UtcNow), cancellationToken);
            await audit.AppendAsync(new AuditEntry(Actor, AuditActions.DatasetGranted, "dataset", dataset.Name, demo.Id, team.Id, dataset.Id,
                JsonSerializer.Serialize(new Dictionary<string, string> { ["purpose"] = purpose })), cancellationToken);
        }
        logger.LogInformation("Seeded demo event '{Event}' with {Teams} teams and {Persons} synthetic persons", EventSlug, teams.Length, demoOptions.Value.Persons);
    }

    private static async Task WriteMicrodataAsync(string file, int persons, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = file + ".partial";
        await using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), bufferSize: 1 << 20))
        {
            SyntheticPersons.Write(writer, persons, Seed);
        }
        cancellationToken.ThrowIfCancellationRequested();
        File.Move(temporary, file, overwrite: true);
    }

    private static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken)).ToLowerInvariant();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
