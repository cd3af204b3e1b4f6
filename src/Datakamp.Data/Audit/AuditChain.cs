using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Datakamp.Domain.Audit;

namespace Datakamp.Data.Audit;

/// <summary>
/// The hash chain of the audit trail. Each hash is SHA-256 over the previous hash and every field
/// of the event, each field written as its UTF-8 byte length, a colon and the bytes, so that no
/// choice of field contents can make two different events hash alike.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first event.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>Times are hashed with microseconds, PostgreSQL's timestamp precision.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    public static string Hash(long seq, DateTimeOffset at, AuditEntry entry, string prevHash)
    {
        var payload = new StringBuilder();
        void Field(string? value)
        {
            value ??= "";
            payload.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
        }
        Field(prevHash);
        Field(seq.ToString(CultureInfo.InvariantCulture));
        Field(Truncate(at).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        Field(entry.Actor);
        Field(entry.Action);
        Field(entry.SubjectType);
        Field(entry.SubjectId);
        Field(entry.EventId?.ToString(CultureInfo.InvariantCulture));
        Field(entry.TeamId?.ToString(CultureInfo.InvariantCulture));
        Field(entry.DatasetId?.ToString(CultureInfo.InvariantCulture));
        Field(entry.DetailsJson);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(payload.ToString()))).ToLowerInvariant();
    }
}
