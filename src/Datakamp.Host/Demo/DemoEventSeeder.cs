using Datakamp.Data;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Audit;
using Datakamp.Domain;
using Datakamp.Domain.Datasets;
using Datakamp.Host.Options;
using Datakamp.Releases;
using Datakamp.Host.Startup;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Demo;

/// <summary>
/// With <c>Demo:Seed</c> on, creates a demo event with two teams and synthetic persons microdata
/// granted to both, and version 1 of its confidentiality declaration, unless the demo event exists already (a restart keeps what is there).
/// </summary>
public sealed class DemoEventSeeder(
    IOptions<DemoOptions> demoOptions, IOptions<StorageOptions> storageOptions, EventRepository events, DatasetRepository datasets,
    AccountRepository accounts, DeclarationRepository declarations, AuditTrail audit, DatasetCaches caches,
    ILogger<DemoEventSeeder> logger) : IHostedService
{
    public static readonly Slug EventSlug = Slug.Parse("demo", "demo event");
    public const string DatasetName = "persons";
    public const int Seed = 20261122;

    /// <summary>Who the audit trail names for what the seed did.</summary>
    public const string Actor = "system:demo-seed";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!demoOptions.Value.Seed) return;
        if (await events.FindEventAsync(EventSlug, cancellationToken) is not null)
        {
            logger.LogInformation("Demo event '{Event}' exists; keeping it", EventSlug);
            return;
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var demo = await events.CreateEventAsync(EventSlug, "Datakamp demo: poverty and debt", today, today.AddDays(2), cancellationToken);
        await audit.RecordAsync(AuditEntries.ForEvent(Actor, AuditActions.EventCreated, demo), cancellationToken);
        var teams = new[]
        {
            await events.CreateTeamAsync(demo.Id, Slug.Parse("noord", "team"), "Team Noord", cancellationToken),
            await events.CreateTeamAsync(demo.Id, Slug.Parse("zuid", "team"), "Team Zuid", cancellationToken),
        };
        foreach (var team in teams)
            await audit.RecordAsync(AuditEntries.ForTeam(Actor, AuditActions.TeamCreated, team), cancellationToken);

        var file = Path.Combine(storageOptions.Value.ResolvedStateDirectory, "demo", "persons.csv");
        await WriteMicrodataAsync(file, demoOptions.Value.Persons, cancellationToken);
        // As staff registration does, in one read: the columnar cache the demo's checks read, and the file's SHA-256.
        var sha256 = (await caches.BuildNewAsync(file, cancellationToken))?.Sha256 ?? await Sha256Async(file, cancellationToken);
        var dataset = await datasets.RegisterAsync(new Dataset(0, demo.Id, DatasetName,
            "Synthetic persons (invented, not real people): district, age band, household type, income, benefit, debt assistance.",
            file, sha256, new FileInfo(file).Length,
            SyntheticPersons.Columns, "person_id", "cbs-persons"), cancellationToken);
        await audit.RecordAsync(AuditEntries.ForDataset(Actor, AuditActions.DatasetRegistered, dataset, details: new { sha256 = dataset.Sha256, policy = dataset.Policy }),
            cancellationToken);
        foreach (var team in teams)
        {
            const string purpose = "Demo: who in which district needs debt assistance?";
            var grant = await datasets.GrantAsync(new DatasetGrant(dataset.Id, team.Id, purpose, Actor, DateTimeOffset.UtcNow), GrantCalendar.Today(TimeProvider.System), cancellationToken);
            await audit.RecordAsync(AuditEntries.ForDataset(Actor, AuditActions.DatasetGranted, dataset, team.Id, new { grant = grant!.Id, purpose, until = (string?)null }),
                cancellationToken);
        }
        // Version 1 of the declaration, so that the demo shows what a real event asks of its members before any data.
        await declarations.PublishAsync(demo.Id, DemoDeclaration.Text, Actor, DateTimeOffset.UtcNow, cancellationToken);
        var accountsFile = await CreateDemoAccountsAsync(teams, cancellationToken);
        // Two independent output checkers review every request of the demo (blind until both voted), as a real event may ask.
        await events.SetReleaseCheckersAsync(demo.Id, 2, cancellationToken);
        await audit.RecordAsync(AuditEntries.ForEvent(Actor, AuditActions.EventCheckersSet, demo, new { checkers = 2 }), cancellationToken);
        logger.LogInformation("Seeded demo event '{Event}' with {Teams} teams and {Persons} synthetic persons", EventSlug, teams.Length, demoOptions.Value.Persons);
        Console.WriteLine($"Demo accounts and their passwords: {accountsFile}");
    }

    /// <summary>
    /// Demo accounts with random passwords, written to a file only the host's user can read: a staff
    /// member, one member per team and two output checkers. (Real accounts get one-time links instead.)
    /// </summary>
    private async Task<string> CreateDemoAccountsAsync(IReadOnlyList<Domain.Events.Team> teams, CancellationToken cancellationToken)
    {
        var lines = new List<string> { "# Demo accounts of the Datakamp demo event (synthetic data only). username  password  role" };
        async Task AddAsync(string username, string name, bool staff, bool checker, Domain.Events.Team? team, string role)
        {
            var account = await accounts.CreateAsync(username, name, staff, checker, team?.Id, cancellationToken);
            var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
            await accounts.SetPasswordHashAsync(account.Id, Accounts.SignInService.HashPassword(account, password), cancellationToken);
            await audit.RecordAsync(AuditEntries.ForAccount(Actor, AuditActions.AccountCreated, account, new { role }), cancellationToken);
            lines.Add($"{username}  {password}  {role}");
        }
        await AddAsync("anna", "Anna (staff)", true, false, null, "staff");
        foreach (var team in teams) await AddAsync($"{team.Slug}1", $"Member of {team.Name}", false, false, team, $"member of {team.Slug}");
        await AddAsync("chris", "Chris (output checker)", false, true, null, "output checker");
        await AddAsync("dana", "Dana (output checker)", false, true, null, "output checker");

        var file = Path.Combine(storageOptions.Value.ResolvedStateDirectory, "demo", "accounts.txt");
        await using (var stream = new FileStream(file, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        await using (var writer = new StreamWriter(stream))
        {
            foreach (var line in lines) await writer.WriteLineAsync(line);
        }
        return file;
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
