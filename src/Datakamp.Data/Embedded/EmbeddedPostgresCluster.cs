using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Datakamp.Data.Embedded;

/// <summary>
/// A private PostgreSQL cluster that the host creates, starts, owns and stops: the embedded default
/// when no connection string is configured.
/// <para>
/// Layout under <see cref="EmbeddedPostgresOptions.RootDirectory"/>: <c>data/</c> (the cluster, owned by
/// the server user), <c>log/postgres.log</c>, <c>run/</c> (the unix socket), <c>superuser.password</c>
/// (readable by the host only) and <c>host.lock</c>, which one host holds while it owns the cluster.
/// </para>
/// <para>
/// Crash safety: pg_ctl detaches the server (setsid), so a host killed with SIGKILL leaves the server
/// running without an owner. The next host takes the lock (the kernel released it with the dead
/// process), finds that orphan by its pid file, stops it and starts the cluster again. A pid file
/// left by a dead server is handled by PostgreSQL itself, or removed when its pid now belongs to
/// another program.
/// </para>
/// </summary>
public sealed class EmbeddedPostgresCluster : IAsyncDisposable
{
    /// <summary>The cluster's superuser; the host connects as this role with a generated password.</summary>
    public const string SuperuserName = "datakamp";

    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly string _binDirectory;
    private readonly string? _serverUser;
    private FileStream? _hostLock;

    private EmbeddedPostgresCluster(EmbeddedPostgresOptions options, ILogger logger, string binDirectory, string? serverUser, FileStream hostLock)
    {
        _options = options;
        _logger = logger;
        _binDirectory = binDirectory;
        _serverUser = serverUser;
        _hostLock = hostLock;
        RootDirectory = Path.GetFullPath(options.RootDirectory);
    }

    public string RootDirectory { get; }
    public string DataDirectory => Path.Combine(RootDirectory, "data");
    public string LogFile => Path.Combine(RootDirectory, "log", "postgres.log");
    private string PasswordFile => Path.Combine(RootDirectory, "superuser.password");

    /// <summary>The loopback TCP port chosen at this start.</summary>
    public int Port { get; private set; }

    /// <summary>The folder that holds the server's unix socket (<c>.s.PGSQL.&lt;port&gt;</c>).</summary>
    public string SocketDirectory { get; private set; } = "";

    private string Password { get; set; } = "";

    /// <summary>Connection string for the host's database.</summary>
    public string ConnectionString => ConnectionStringFor(_options.Database);

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = SuperuserName,
        Password = Password,
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// A connection string to the cluster in <paramref name="rootDirectory"/> if a server is running
    /// there now (for command-line tools while a host owns it), otherwise null. The port comes from
    /// the server's own pid file (line 4), the password from the host's password file.
    /// </summary>
    public static string? ConnectionStringToRunningServer(string rootDirectory, string database = "datakamp")
    {
        var root = Path.GetFullPath(rootDirectory);
        var pidFile = Path.Combine(root, "data", "postmaster.pid");
        var passwordFile = Path.Combine(root, "superuser.password");
        if (!File.Exists(pidFile) || !File.Exists(passwordFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port)) return null;
        var commandLine = ReadCommandLine(pid);
        if (commandLine is null || !commandLine.Contains(Path.Combine(root, "data"), StringComparison.Ordinal)) return null;
        return new NpgsqlConnectionStringBuilder
        {
            Host = IPAddress.Loopback.ToString(), Port = port, Username = SuperuserName,
            Password = File.ReadAllText(passwordFile).Trim(), Database = database,
        }.ConnectionString;
    }

    /// <summary>Creates the cluster on first use, recovers from an earlier crash, and starts it.</summary>
    public static async Task<EmbeddedPostgresCluster> StartAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var binDirectory = PostgresBinaries.Locate(options.BinDirectory);
        var root = Path.GetFullPath(options.RootDirectory);
        if (root.IndexOfAny(['\'', '"', '\n', '\r', '\\']) >= 0)
            throw new EmbeddedPostgresException($"the embedded database folder '{root}' contains a quote, backslash or newline; choose a plain path with Storage:StateDirectory.");
        if (!IsValidIdentifier(options.Database))
            throw new EmbeddedPostgresException($"database name '{options.Database}' must be lower-case letters, digits and underscores.");

        // PostgreSQL refuses to run as root, so a root host runs the server as an unprivileged user.
        string? serverUser = null;
        if (Environment.IsPrivilegedProcess)
        {
            serverUser = options.ServerUser;
            if (!UnixAccounts.Exists(serverUser))
                throw new EmbeddedPostgresException($"the host runs as root and the PostgreSQL server user '{serverUser}' does not exist: run 'bash scripts/setup' (it installs postgresql, which creates that user).");
        }

        Directory.CreateDirectory(root);
        var hostLock = AcquireHostLock(root);
        var cluster = new EmbeddedPostgresCluster(options, logger, binDirectory, serverUser, hostLock);
        try
        {
            await cluster.PrepareAndStartAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            cluster.ReleaseHostLock();
            throw;
        }
    }

    private static FileStream AcquireHostLock(string root)
    {
        var path = Path.Combine(root, "host.lock");
        try
        {
            // FileShare.None takes an exclusive flock(2); the kernel drops it when the process dies, even by SIGKILL.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new EmbeddedPostgresException($"another Datakamp host already owns the embedded database in {root}; stop it first, or give this host its own Storage:StateDirectory.");
        }
    }

    private async Task PrepareAndStartAsync(CancellationToken cancellationToken)
    {
        if (_serverUser is not null) await EnsureServerUserCanEnterAsync(cancellationToken);

        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            await InitializeAsync(cancellationToken);
        if (!File.Exists(PasswordFile))
            throw new EmbeddedPostgresException($"the embedded cluster in {DataDirectory} has no password file {PasswordFile}; restore it from a backup, or move the folder away to start a new cluster.");
        Password = (await File.ReadAllTextAsync(PasswordFile, cancellationToken)).Trim();

        await StopOrphanedServerAsync(cancellationToken);

        SocketDirectory = ChooseSocketDirectory();
        CreateServerOwnedDirectory(SocketDirectory);
        CreateServerOwnedDirectory(Path.GetDirectoryName(LogFile)!);

        // A free port can be taken by someone else between our probe and the server's bind: try again.
        for (var attempt = 1; ; attempt++)
        {
            Port = FindFreeLoopbackPort();
            await WriteRuntimeSettingsAsync(cancellationToken);
            var logLengthBefore = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
            var start = await PgCtlAsync(["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", ((int)_options.StartTimeout.TotalSeconds).ToString(), "-s"],
                _options.StartTimeout + TimeSpan.FromSeconds(10), cancellationToken);
            if (start.ExitCode == 0) break;

            var reason = LastFatalLogLine(logLengthBefore) ?? start.LastErrorLine;
            if (attempt < 3 && reason.Contains("could not bind", StringComparison.OrdinalIgnoreCase)) continue;
            throw new EmbeddedPostgresException($"the embedded PostgreSQL in {DataDirectory} did not start: {reason} (log: {LogFile})");
        }

        _logger.LogInformation("Embedded PostgreSQL started on 127.0.0.1:{Port} and {SocketDirectory} with data in {DataDirectory}", Port, SocketDirectory, DataDirectory);
        await EnsureDatabaseAsync(cancellationToken);
    }

    private async Task EnsureServerUserCanEnterAsync(CancellationToken cancellationToken)
    {
        var probe = await ProcessRunner.RunAsync("test", ["-x", RootDirectory], _serverUser, TimeSpan.FromSeconds(10), cancellationToken);
        if (probe.ExitCode != 0)
            throw new EmbeddedPostgresException($"the PostgreSQL server user '{_serverUser}' cannot enter {RootDirectory} (a parent folder is private); set Storage:StateDirectory to a folder outside it, or allow entry with 'chmod o+x' on that parent.");
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Creating the embedded PostgreSQL cluster in {DataDirectory}", DataDirectory);
        // initdb into a staging folder and rename at the end: a crash half-way never leaves a half cluster behind.
        var staging = Path.Combine(RootDirectory, "data.initdb");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        CreateServerOwnedDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var passwordForInitdb = Path.Combine(RootDirectory, "initdb.pwfile");
        await WritePrivateFileAsync(passwordForInitdb, password, _serverUser, cancellationToken);
        try
        {
            var initdb = await ProcessRunner.RunAsync(Path.Combine(_binDirectory, "initdb"),
                ["-D", staging, "-U", SuperuserName, "--pwfile", passwordForInitdb, "--auth", "scram-sha-256", "-E", "UTF8", "--no-locale", "--no-instructions"],
                _serverUser, TimeSpan.FromMinutes(2), cancellationToken);
            if (initdb.ExitCode != 0)
                throw new EmbeddedPostgresException($"initdb failed for {DataDirectory}: {initdb.LastErrorLine}");
        }
        finally
        {
            File.Delete(passwordForInitdb);
        }

        // Settings that change per start (port, socket folder) live in datakamp.conf, rewritten at every start.
        await File.AppendAllTextAsync(Path.Combine(staging, "postgresql.conf"),
            "\n# Datakamp: per-start settings written by the host\ninclude_if_exists = 'datakamp.conf'\n", cancellationToken);
        await WritePrivateFileAsync(PasswordFile, password, owner: null, cancellationToken);
        Directory.Move(staging, DataDirectory);
    }

    private async Task StopOrphanedServerAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)) return;
        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (!int.TryParse(firstLine, out var pid) || pid <= 0)
        {
            _logger.LogWarning("Removing unreadable pid file {PidFile}", pidFile);
            File.Delete(pidFile);
            return;
        }

        var commandLine = ReadCommandLine(pid);
        if (commandLine is null)
        {
            // The server died with the pid file in place; PostgreSQL replaces such a stale file itself.
            _logger.LogWarning("Found a stale pid file of a server (pid {Pid}) that is gone; PostgreSQL will recover", pid);
            return;
        }
        if (!commandLine.Contains("postgres", StringComparison.Ordinal) || !commandLine.Contains(DataDirectory, StringComparison.Ordinal))
        {
            // After a reboot the old pid can belong to an unrelated program; PostgreSQL would refuse to start.
            _logger.LogWarning("Removing stale pid file {PidFile}: pid {Pid} is now another program", pidFile, pid);
            File.Delete(pidFile);
            return;
        }

        // We hold the host lock, so no live host owns this server: it is the orphan of a killed host.
        _logger.LogWarning("Stopping an orphaned PostgreSQL server (pid {Pid}) left by a host that did not shut down", pid);
        var stop = await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "-s"], TimeSpan.FromSeconds(40), cancellationToken);
        if (stop.ExitCode != 0)
        {
            var immediate = await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "-s"], TimeSpan.FromSeconds(40), cancellationToken);
            if (immediate.ExitCode != 0)
                throw new EmbeddedPostgresException($"an orphaned PostgreSQL server (pid {pid}) holds {DataDirectory} and would not stop: {immediate.LastErrorLine}");
        }
    }

    private static string? ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string ChooseSocketDirectory()
    {
        // Unix socket paths are limited to 107 bytes; deep folders fall back to a short private folder in /tmp.
        var preferred = Path.Combine(RootDirectory, "run");
        if (preferred.Length + "/.s.PGSQL.65535.lock".Length < 100) return preferred;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(RootDirectory)))[..12].ToLowerInvariant();
        return Path.Combine(Path.GetTempPath(), $"datakamp-pg-{hash}");
    }

    private Task WriteRuntimeSettingsAsync(CancellationToken cancellationToken)
    {
        var settings = new StringBuilder()
            .AppendLine("# Written by the Datakamp host at every start; do not edit.")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine($"port = {Port}")
            .AppendLine($"unix_socket_directories = '{SocketDirectory}'")
            .AppendLine("unix_socket_permissions = 0700");
        if (!_options.Durable)
        {
            settings.AppendLine("fsync = off").AppendLine("full_page_writes = off").AppendLine("synchronous_commit = off");
        }
        return File.WriteAllTextAsync(Path.Combine(DataDirectory, "datakamp.conf"), settings.ToString(), cancellationToken);
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = _options.Database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // The name was validated as a plain identifier, so quoting it is enough.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_options.Database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Creates a database in this cluster (for tests that want one database per test class).</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        if (!IsValidIdentifier(name)) throw new ArgumentException($"'{name}' is not a plain database name", nameof(name));
        await using var connection = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended, data is flushed) and releases the host lock.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_hostLock is null) return;
        NpgsqlConnection.ClearAllPools();
        var stop = await PgCtlAsync(["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "-s"], TimeSpan.FromSeconds(70), cancellationToken);
        if (stop.ExitCode != 0) _logger.LogWarning("Embedded PostgreSQL did not stop cleanly: {Reason}", stop.LastErrorLine);
        else _logger.LogInformation("Embedded PostgreSQL stopped");
        ReleaseHostLock();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Test seam: let go of the cluster without stopping it, exactly as a host killed by SIGKILL does.</summary>
    internal void AbandonLikeAKilledHost() => ReleaseHostLock();

    private void ReleaseHostLock()
    {
        _hostLock?.Dispose();
        _hostLock = null;
    }

    private Task<ProcessResult> PgCtlAsync(string[] arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(Path.Combine(_binDirectory, "pg_ctl"), arguments, _serverUser, timeout, cancellationToken);

    private string? LastFatalLogLine(long fromOffset)
    {
        if (!File.Exists(LogFile)) return null;
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(fromOffset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n').LastOrDefault(line => line.Contains("FATAL") || line.Contains("ERROR"))?.Trim();
    }

    private void CreateServerOwnedDirectory(string path, UnixFileMode? mode = null)
    {
        Directory.CreateDirectory(path);
        if (mode is not null) File.SetUnixFileMode(path, mode.Value);
        if (_serverUser is not null) ChangeOwner(path, _serverUser);
    }

    private static async Task WritePrivateFileAsync(string path, string content, string? owner, CancellationToken cancellationToken)
    {
        await using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(content);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (owner is not null) ChangeOwner(path, owner);
    }

    private static void ChangeOwner(string path, string user)
    {
        // .NET has no chown; chown(1) with an argument list is simple and needs no native interop.
        var result = ProcessRunner.RunAsync("chown", [$"{user}:", path], runAsUser: null, TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult();
        if (result.ExitCode != 0) throw new EmbeddedPostgresException($"could not hand {path} to user '{user}': {result.LastErrorLine}");
    }

    private static int FindFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsValidIdentifier(string name) =>
        name.Length is > 0 and <= 63 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_') &&
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
