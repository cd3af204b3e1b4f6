using Datakamp.Data.Audit;
using Datakamp.Domain.Audit;
using Microsoft.Extensions.Logging;

namespace Datakamp.Releases;

/// <summary>
/// Reads a stored output whole and verified against its SHA-256, for anything that shows or serves it. Content that is
/// altered or gone is never returned: the reader reports it to staff (an audit entry
/// <see cref="AuditActions.ReleaseContentMismatch"/> and an error in the log) and returns null.
/// </summary>
public sealed class VerifiedContentReader(ContentStore store, AuditTrail audit, ILogger<VerifiedContentReader> logger)
{
    /// <summary>Whose file it is and who asked, for the report when its content no longer matches its hash.</summary>
    public sealed record Subject(long EventId, long TeamId, long RequestId, string RequestedBy);

    public async Task<byte[]?> ReadAsync(string sha256, string name, Subject subject, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAllBytesAsync(sha256, cancellationToken);
        }
        catch (Exception e) when (e is ContentTamperedException or FileNotFoundException)
        {
            logger.LogError(e, "Release request {RequestId}: stored {File} ({Sha256}) does not match its SHA-256; not served", subject.RequestId, name, sha256);
            var details = new
            {
                file = name, sha256, requested_by = subject.RequestedBy,
                error = e is FileNotFoundException ? "content is missing from the store" : "content does not match its SHA-256",
            };
            await audit.RecordAsync(AuditEntries.ForReleaseRequest("system", AuditActions.ReleaseContentMismatch, subject.RequestId, subject.EventId, subject.TeamId, details),
                cancellationToken);
            return null;
        }
    }
}
