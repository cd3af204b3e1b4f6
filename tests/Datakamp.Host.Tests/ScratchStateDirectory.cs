using Datakamp.Data;
using System.Diagnostics;
using Datakamp.TestSupport;
using Npgsql;

namespace Datakamp.Host.Tests;

/// <summary>
/// A host state folder (embedded cluster, demo data) for one test. Disposing it stops any server
/// a failed test left behind in it, unmounts the team disks mounted in it, then removes it.
/// </summary>
internal sealed class ScratchStateDirectory : IDisposable
{
    public string Path { get; } = TestEnvironment.CreateScratchDirectory("state");

    public string Setting => $"--Storage:StateDirectory={Path}";

    /// <summary>Connection string to the embedded cluster a host started in this folder (port from its log).</summary>
    public string ConnectionStringFor(HostProcess host)
    {
        var started = host.LogEntries("Embedded PostgreSQL started on").Last();
        var port = started.GetProperty("State").GetProperty("Port").GetInt32();
        var password = File.ReadAllText(System.IO.Path.Combine(Path, "postgres", "superuser.password")).Trim();
        return new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "datakamp", Password = password, Database = "datakamp", Pooling = false }.ConnectionString;
    }

    public int? PostmasterPid()
    {
        var pidFile = System.IO.Path.Combine(Path, "postgres", "data", "postmaster.pid");
        return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) ? pid : null;
    }

    public static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    public void Dispose()
    {
        foreach (var process in Process.GetProcesses())
        {
            try
            {
                if (File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(Path)) process.Kill();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException) { }
        }
        LoopMounts.UnmountAllUnder(Path);
        try { Directory.Delete(Path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
