using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Datasets;
using Datakamp.Host.Options;
using Datakamp.Releases;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Staff;

/// <summary>
/// Datasets and grants on the web: register a microdata file on the host (its SHA-256, columns, unit and policy, the
/// whole file read as UTF-8 CSV first, then into its columnar cache), grant it to a team of the same event with a purpose and optionally a last day,
/// and revoke a grant with a reason. Every input is checked before anything is written (<see cref="StaffInputException"/>
/// names the field); each change is audited.
/// </summary>
public sealed class DataAccessConsole(EventRepository events, DatasetRepository datasets, AuditTrail audit, IOptions<StorageOptions> storage, DatasetCaches caches, TimeProvider clock)
{
    public async Task<Dataset> RegisterAsync(long eventId, string name, string filePath, string unit, string policy, string description, string actor,
        CancellationToken cancellationToken)
    {
        name = (name ?? "").Trim();
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9][a-z0-9_-]{0,39}$"))
            throw new StaffInputException("name", "Use 1-40 lower-case letters, digits, '-' or '_' (teams see it as /data/<name>.csv).");
        var file = (filePath ?? "").Trim();
        if (file.Length == 0 || !Path.IsPathFullyQualified(file)) throw new StaffInputException("file", "Give the full path of the CSV file on the host.");
        if (!File.Exists(file)) throw new StaffInputException("file", $"There is no file {file} on the host.");
        var policyFile = Path.Combine(Path.GetFullPath(storage.Value.PoliciesDirectory), $"{(policy ?? "").Trim()}.yaml");
        if (string.IsNullOrWhiteSpace(policy) || policy.Contains('/') || policy.Contains('\\') || !File.Exists(policyFile))
            throw new StaffInputException("policy", $"There is no policy '{policy}' in the policies folder.");
        try
        {
            PolicyLoader.LoadFile(policyFile);
        }
        catch (DisclosureInputException e)
        {
            throw new StaffInputException("policy", $"The policy cannot be used: {e.Message}");
        }
        // One read of the file: the columnar cache every check of this dataset reads instead of the CSV, and on the way
        // its SHA-256, size, columns and whether it is UTF-8. Only a CSV that cannot be cached is read again, as a check
        // would read it, for the error to show (or, if it reads, to be checked from the CSV).
        var (columns, sha256, size, cache) = await ReadIntoCacheAsync(file, cancellationToken);
        unit = (unit ?? "").Trim();
        if (!columns.Contains(unit)) throw new StaffInputException("unit", $"'{unit}' is not a column of the file (columns: {string.Join(", ", columns)}).");
        if ((await datasets.ListAsync(eventId, cancellationToken)).Any(d => d.Name == name)) throw new StaffInputException("name", $"This event has a dataset '{name}' already.");

        var dataset = await datasets.RegisterAsync(new Dataset(0, eventId, name, (description ?? "").Trim(), file, sha256, size, columns, unit, policy.Trim()), cancellationToken);
        await audit.RecordAsync(AuditEntries.ForDataset(actor, AuditActions.DatasetRegistered, dataset, details: new { sha256, policy = dataset.Policy, file, cache = CacheWord(cache) }), cancellationToken);
        return dataset;
    }

    public async Task<DatasetGrant> GrantAsync(long datasetId, long teamId, string purpose, string? until, string actor, CancellationToken cancellationToken)
    {
        var (dataset, team) = await ResolveAsync(datasetId, teamId, cancellationToken);
        purpose = (purpose ?? "").Trim();
        if (purpose.Length == 0) throw new StaffInputException("purpose", "Say what the team may use the data for.");
        if (purpose.Length > 1000) throw new StaffInputException("purpose", "At most 1000 characters.");
        var today = GrantCalendar.Today(clock);
        DateOnly? last = null;
        if (!string.IsNullOrWhiteSpace(until))
        {
            if (!DateOnly.TryParseExact(until.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                throw new StaffInputException("until", "Give the last day as YYYY-MM-DD, or none for a grant without end.");
            if (day < today) throw new StaffInputException("until", $"{day:yyyy-MM-dd} is in the past (today is {today:yyyy-MM-dd}).");
            last = day;
        }
        var stored = await datasets.GrantAsync(new DatasetGrant(dataset.Id, team.Id, purpose, actor, clock.GetUtcNow(), last), today, cancellationToken)
            ?? throw new StaffInputException("team", $"{team.Name} holds a grant of {dataset.Name} in force already.");
        await audit.RecordAsync(AuditEntries.ForDataset(actor, AuditActions.DatasetGranted, dataset, team.Id,
            new { grant = stored.Id, purpose, until = last?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }), cancellationToken);
        return stored;
    }

    public async Task<DatasetGrant> RevokeAsync(long datasetId, long teamId, string reason, string actor, CancellationToken cancellationToken)
    {
        var (dataset, team) = await ResolveAsync(datasetId, teamId, cancellationToken);
        reason = (reason ?? "").Trim();
        if (reason.Length == 0) throw new StaffInputException("reason", "Give the reason for revoking (it is kept with the grant).");
        if (reason.Length > 1000) throw new StaffInputException("reason", "At most 1000 characters.");
        var revoked = await datasets.RevokeAsync(dataset.Id, team.Id, new GrantRevocation(clock.GetUtcNow(), actor, reason),
            GrantCalendar.Today(clock), cancellationToken) ?? throw new StaffInputException("team", $"{team.Name} holds no grant of {dataset.Name} in force.");
        await audit.RecordAsync(AuditEntries.ForDataset(actor, AuditActions.DatasetGrantRevoked, dataset, team.Id,
            new { grant = revoked.Id, reason, purpose = revoked.Purpose }), cancellationToken);
        return revoked;
    }

    private static string CacheWord(CacheBuild cache) => cache == CacheBuild.Built ? "built" : "not cacheable: checks read the CSV";

    /// <summary>The dataset and the team, which must be of the same event: a team is only granted data of its own event.</summary>
    private async Task<(Dataset Dataset, Domain.Events.Team Team)> ResolveAsync(long datasetId, long teamId, CancellationToken cancellationToken)
    {
        var team = await events.FindTeamAsync(teamId, cancellationToken) ?? throw new StaffInputException("team", "That team does not exist.");
        var dataset = await datasets.FindAsync(datasetId, cancellationToken)
            ?? throw new StaffInputException("dataset", "That dataset does not exist.");
        if (dataset.EventId != team.EventId) throw new StaffInputException("team", $"{team.Name} is a team of another event: a team is only granted data of its own event.");
        return (dataset, team);
    }

    /// <summary>The file's columns, SHA-256 and size, read once while its cache is built; see <see cref="ReadCsvAsync"/> for a file that cannot be cached.</summary>
    private async Task<(IReadOnlyList<string> Columns, string Sha256, long Size, CacheBuild Cache)> ReadIntoCacheAsync(string file, CancellationToken cancellationToken)
    {
        var built = await caches.BuildNewAsync(file, cancellationToken);
        if (built is null)
        {
            var (columns, sha256, size) = await ReadCsvAsync(file, cancellationToken);
            return (columns, sha256, size, CacheBuild.NotCacheable);
        }
        if (!built.IsUtf8) throw new StaffInputException("file", NotUtf8);
        return (built.Columns, built.Sha256, built.Length, CacheBuild.Built);
    }

    private const string NotUtf8 = "The file is not UTF-8 text: save it as UTF-8 CSV.";

    /// <summary>Reads the whole file: strict UTF-8, a CSV the checks can read (header, equal field counts), its SHA-256 and size.</summary>
    private static async Task<(IReadOnlyList<string> Columns, string Sha256, long Size)> ReadCsvAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            await using (var text = File.OpenRead(file))
            using (var reader = new StreamReader(text, new UTF8Encoding(false, throwOnInvalidBytes: true)))
            {
                var buffer = new char[1 << 16];
                while (await reader.ReadAsync(buffer, cancellationToken) > 0) { }
            }
            IReadOnlyList<string> columns;
            using (var csv = new CsvReader(File.OpenRead(file), Path.GetFileName(file)))
            {
                columns = csv.ReadHeader();
                while (csv.ReadRecord()) { }
            }
            await using var stream = File.OpenRead(file);
            var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            return (columns, sha256, stream.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new StaffInputException("file", NotUtf8);
        }
        catch (DisclosureInputException e)
        {
            throw new StaffInputException("file", $"The file is not a CSV the checks can read: {e.Message}");
        }
        catch (IOException e)
        {
            throw new StaffInputException("file", $"The file cannot be read: {e.Message}");
        }
    }
}
