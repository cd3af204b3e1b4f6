namespace Datakamp.Host.Options;

/// <summary>Where the host keeps its state on disk (section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The state folder: the embedded PostgreSQL cluster (postgres/), demo data (demo/) and, later, the
    /// release store. Relative paths are taken from the folder the host was started in.
    /// </summary>
    public string StateDirectory { get; set; } = "var";

    public string ResolvedStateDirectory => Path.GetFullPath(StateDirectory);

    /// <summary>The folder of disclosure policies (one YAML file per policy); relative to the folder the host was started in.</summary>
    public string PoliciesDirectory { get; set; } = "policies";
}
