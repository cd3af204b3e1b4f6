namespace Datakamp.Releases;

/// <summary>A published file's stored bytes no longer match its SHA-256: it is not served (staff have been told).</summary>
public sealed class PublishedContentMismatchException(string name, string sha256)
    : Exception($"{name} no longer matches its recorded SHA-256 {sha256[..12]}…: it was not served, and staff have been told.")
{
    public string Name { get; } = name;
    public string Sha256 { get; } = sha256;
}
