using System.Security.Cryptography;
using System.Text;

namespace Datakamp.Domain.Events;

/// <summary>
/// One published version of an event's confidentiality declaration. Versions count up per event and are never
/// changed; the newest is the one in force. An acceptance names the version and the SHA-256 of its text, so what a
/// person accepted can be shown word for word later.
/// </summary>
public sealed record Declaration(long EventId, int Version, string Text, string Sha256, DateTimeOffset PublishedAt, string PublishedBy)
{
    /// <summary>The SHA-256 (lower-case hex) of the text's UTF-8 bytes: how acceptances and the audit trail name a text.</summary>
    public static string HashOf(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
