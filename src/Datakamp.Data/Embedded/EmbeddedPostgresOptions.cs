namespace Datakamp.Data.Embedded;

/// <summary>How the host runs its own private PostgreSQL cluster when no connection string is configured.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>The folder that holds the cluster: data/, log/, run/, the password file and the host lock.</summary>
    public required string RootDirectory { get; init; }

    /// <summary>Folder with initdb, pg_ctl and postgres; null picks the newest /usr/lib/postgresql/*/bin.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// PostgreSQL refuses to run as root. When the host runs as root, the server runs as this
    /// unprivileged system user (Debian's postgresql package creates it).
    /// </summary>
    public string ServerUser { get; init; } = "postgres";

    /// <summary>The database the host uses inside the cluster.</summary>
    public string Database { get; init; } = "datakamp";

    /// <summary>
    /// False turns off fsync and full-page writes: for throw-away test clusters only, never for an
    /// event's data.
    /// </summary>
    public bool Durable { get; init; } = true;

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
