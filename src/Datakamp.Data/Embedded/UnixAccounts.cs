namespace Datakamp.Data.Embedded;

/// <summary>Reads local accounts from /etc/passwd (no NSS lookups needed for system users).</summary>
internal static class UnixAccounts
{
    public static bool Exists(string userName) =>
        File.Exists("/etc/passwd") &&
        File.ReadLines("/etc/passwd").Any(line => line.StartsWith(userName + ":", StringComparison.Ordinal));
}
