namespace Datakamp.Data.Embedded;

/// <summary>Finds the PostgreSQL server programs (initdb, pg_ctl, postgres).</summary>
internal static class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    public static string Locate(string? configured)
    {
        if (configured is not null)
        {
            if (!File.Exists(Path.Combine(configured, "pg_ctl")))
                throw new EmbeddedPostgresException($"Database:PostgresBinDirectory '{configured}' has no pg_ctl; point it at the folder with initdb, pg_ctl and postgres.");
            return configured;
        }

        // Debian installs each major version side by side: /usr/lib/postgresql/15/bin. Take the newest.
        var newest = Directory.Exists(DebianRoot)
            ? Directory.GetDirectories(DebianRoot)
                .Select(dir => (dir, major: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
                .Where(candidate => candidate.major > 0 && File.Exists(Path.Combine(candidate.dir, "bin", "pg_ctl")))
                .OrderByDescending(candidate => candidate.major)
                .Select(candidate => Path.Combine(candidate.dir, "bin"))
                .FirstOrDefault()
            : null;
        return newest ?? throw new EmbeddedPostgresException(
            $"PostgreSQL server programs not found in {DebianRoot}/*/bin: run 'bash scripts/setup' (or apt-get install postgresql), set Database:PostgresBinDirectory, or set Database:ConnectionString to use an existing server.");
    }
}
