using System.Security.Cryptography;
using System.Text;
using Datakamp.Disclosure.Verdicts;
using Datakamp.Domain.Releases;

namespace Datakamp.Releases;

/// <summary>The disclosure engine's verdict stored with a file by the automated check, read back.</summary>
public static class StoredVerdict
{
    /// <summary>The whole verdict (policy, microdata), or null for a file that is not a recomputed table.</summary>
    public static VerdictDocument? Of(ReleaseFile file) =>
        file.CheckVerdictJson is { } json ? VerdictJsonContext.Deserialize(json) : null;

    /// <summary>The verdict on the file's table, or null for a file that is not a recomputed table.</summary>
    public static FileVerdict? TableOf(ReleaseFile file) => Of(file) is { Files.Count: > 0 } verdict ? verdict.Files[0] : null;

    /// <summary>
    /// A stable id of the verdict a file was released under: the SHA-256 of the verdict as stored. The manifest of a
    /// bundle names it, so a released table can be traced to exactly the check that passed it.
    /// </summary>
    public static string? IdOf(ReleaseFile file) =>
        file.CheckVerdictJson is { } json ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))) : null;
}
