namespace Datakamp.Releases;

/// <summary>
/// Where the automated check works: <see cref="WorkDirectory"/> holds a private copy of each request's files while the
/// engine reads them (removed afterwards); <see cref="PoliciesDirectory"/> holds the disclosure policies, one YAML file
/// per policy, named as datasets name them. Both absolute.
/// </summary>
public sealed record CheckerFolders(string WorkDirectory, string PoliciesDirectory);
