using System.IO.Compression;
using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Releases;

namespace Datakamp.Releases;

/// <summary>
/// The event's presentation as the host serves it: the teams with publications in force, each published file's bytes
/// read back and verified against its SHA-256 before anything is served, and zip bundles with a manifest. A file that
/// does not verify is never served: the caller gets <see cref="PublishedContentMismatchException"/>, and the mismatch is
/// in the audit trail (<see cref="AuditActions.ReleaseContentMismatch"/>) and the log, for staff.
/// </summary>
public sealed class EventPresentation(ReleaseRepository releases, AccountRepository accounts, VerifiedContentReader reader, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The teams of an event with at least one publication in force, by name.</summary>
    public async Task<IReadOnlyList<PresentedTeam>> TeamsAsync(long eventId, CancellationToken cancellationToken) =>
        (await releases.ListPublishedAsync(eventId, cancellationToken))
            .GroupBy(r => r.Request.TeamId)
            .Select(g => new PresentedTeam(g.Key, g.First().TeamSlug, g.First().TeamName, g.ToList()))
            .OrderBy(t => t.TeamName, StringComparer.OrdinalIgnoreCase).ThenBy(t => t.TeamSlug, StringComparer.Ordinal)
            .ToList();

    /// <summary>One published file of a publication in force, or null when there is no such file in force (unknown or revoked).</summary>
    public async Task<(ReleaseRecord Request, PublishedOutput Output)?> FindOutputAsync(long eventId, string teamSlug, long requestId, string name,
        CancellationToken cancellationToken)
    {
        var record = await releases.FindAsync(requestId, cancellationToken);
        if (record is not { Publication: { IsRevoked: false } publication } || record.EventId != eventId || record.TeamSlug != teamSlug) return null;
        var output = publication.Outputs.FirstOrDefault(o => o.Name == name);
        return output is null ? null : (record, output);
    }

    /// <summary>The verified bytes of a published file; throws <see cref="PublishedContentMismatchException"/> (reported) when they do not verify.</summary>
    public async Task<byte[]> ReadVerifiedAsync(ReleaseRecord request, PublishedOutput output, string actor, CancellationToken cancellationToken) =>
        await reader.ReadAsync(output.Sha256, output.Name, new VerifiedContentReader.Subject(request.EventId, request.Request.TeamId, request.Request.Id, actor), cancellationToken)
            ?? throw new PublishedContentMismatchException(output.Name, output.Sha256);

    /// <summary>
    /// A zip of the given teams' publications in force: every file under <c>team/request-N/name</c>, and manifest.json.
    /// Every file is read and verified first, so a bundle is whole and verified or not made at all (a mismatch throws
    /// <see cref="PublishedContentMismatchException"/>, reported). The download is audited.
    /// </summary>
    public async Task<(BundleManifest Manifest, byte[] Zip)> MakeBundleAsync(string eventSlug, long eventId, IReadOnlyList<PresentedTeam> teams, string? teamSlug,
        string actor, CancellationToken cancellationToken)
    {
        var approvers = new Dictionary<long, string>();
        var files = new List<(BundleManifest.Entry Entry, byte[] Bytes)>();
        foreach (var team in teams)
            foreach (var (request, output) in team.Outputs)
            {
                var bytes = await ReadVerifiedAsync(request, output, actor, cancellationToken);
                files.Add((await EntryAsync(team, request, output, approvers, cancellationToken), bytes));
            }
        var manifest = new BundleManifest(eventSlug, teamSlug, clock.GetUtcNow(), files.Select(f => f.Entry).ToList());

        // Built in memory, never streamed: a zip cut off half-way by an error after the first bytes went out helps no one.
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entry, bytes) in files) await WriteEntryAsync(zip, entry.Path, bytes, cancellationToken);
            await WriteEntryAsync(zip, "manifest.json", manifest.ToJsonBytes(), cancellationToken);
        }
        await audit.RecordAsync(AuditEntries.ForBundle(actor, AuditActions.PublicationDownloaded, eventSlug, eventId, teamSlug,
            teams.Count == 1 && teamSlug is not null ? teams[0].TeamId : null,
            new { files = manifest.Files.Select(f => new { path = f.Path, sha256 = f.Sha256 }) }), cancellationToken);
        return (manifest, buffer.ToArray());
    }

    /// <summary>Audits a download of one published file (figures shown inside a page are not downloads and are not recorded).</summary>
    public Task RecordDownloadAsync(ReleaseRecord request, PublishedOutput output, string actor, CancellationToken cancellationToken) =>
        audit.RecordAsync(AuditEntries.ForReleaseRequest(actor, AuditActions.PublicationDownloaded, request, new { file = output.Name, sha256 = output.Sha256 }),
            cancellationToken);

    private async Task<BundleManifest.Entry> EntryAsync(PresentedTeam team, ReleaseRecord request, PublishedOutput output, Dictionary<long, string> approverNames,
        CancellationToken cancellationToken)
    {
        var publication = request.Publication!;
        var submitted = request.AllFiles.Single(f => f.Version == publication.Version && f.Name == output.Name);
        var verdict = StoredVerdict.Of(submitted);
        var approvers = new List<string>();
        foreach (var vote in request.Request.AllVotes.Where(v => v.Version == publication.Version).OrderBy(v => v.At))
        {
            if (!approverNames.TryGetValue(vote.CheckerAccountId, out var name))
                approverNames[vote.CheckerAccountId] = name = (await accounts.FindAsync(vote.CheckerAccountId, cancellationToken))?.Username
                    ?? $"account {vote.CheckerAccountId}";
            approvers.Add(name);
        }
        var approvedAt = request.Transitions.LastOrDefault(t => t.To == ReleaseState.Approved)?.At;
        return new BundleManifest.Entry($"{team.TeamSlug}/request-{request.Request.Id}/{output.Name}", team.TeamSlug, request.Request.Id, publication.Version,
            output.Name, output.Sha256, output.SizeBytes, output.Form == OutputForm.SuppressedByHost ? "suppressed_by_host" : "as_submitted",
            approvers, approvedAt, publication.PublishedAt, verdict is null ? null : new BundleManifest.Policy(verdict.Policy.Name, verdict.Policy.Version),
            StoredVerdict.IdOf(submitted));
    }

    private static async Task WriteEntryAsync(ZipArchive zip, string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
    }
}
