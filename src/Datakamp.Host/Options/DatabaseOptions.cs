namespace Datakamp.Host.Options;

/// <summary>Which PostgreSQL the host uses (section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>An Npgsql connection string. Empty: the host runs its own embedded cluster under the state folder.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder with initdb/pg_ctl/postgres for the embedded cluster; empty picks the newest installed.</summary>
    public string? PostgresBinDirectory { get; set; }

    /// <summary>The unprivileged user that runs the embedded server when the host runs as root.</summary>
    public string ServerUser { get; set; } = "postgres";

    /// <summary>Seconds to wait when opening a connection before the database counts as unreachable.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 5;

    public bool UsesEmbeddedCluster => string.IsNullOrWhiteSpace(ConnectionString);
}
