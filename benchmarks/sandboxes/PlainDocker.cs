using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Datakamp.Docker;
using Datakamp.Host.Options;

namespace Datakamp.Benchmarks.Sandboxes;

/// <summary>
/// The baseline: what an administrator would type. <c>docker run -d</c> with the same image, command,
/// hardening flags and limits as a Datakamp sandbox (no Datakamp code involved), started as N
/// concurrent processes; ready = <c>curl --unix-socket .../nb.sock /api/kernelspecs</c> answers 200,
/// polled every 50 ms.
/// </summary>
internal sealed class PlainDocker(DockerDotNetEngine engine, string scratchDirectory, string runLabel, SandboxOptions options)
{
    public const string Label = "datakamp.benchmark";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private int _batch;

    public string LabelFilter => $"{Label}={runLabel}";

    public async Task<BatchResult> RunBatchAsync(int n, int run, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _batch);
        var sandboxes = new List<(string Name, string Folder, string Token)>();
        for (var i = 1; i <= n; i++)
        {
            var name = $"dkbench-{runLabel}-p{number}-t{i:00}";
            var folder = Path.Combine(scratchDirectory, "plain", $"p{number}", $"t{i:00}");
            foreach (var sub in new[] { "workspace", "outbox", "jupyter" }) Directory.CreateDirectory(Path.Combine(folder, sub));
            sandboxes.Add((name, folder, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant()));
        }
        // As SandboxFolders.Prepare does, but before the clock starts: that is not docker's work.
        await RunAsync("chown", ["-R", $"{options.SandboxUid}:{options.SandboxGid}", Path.Combine(scratchDirectory, "plain", $"p{number}")], CancellationToken.None);

        var cpu = CpuMeter.Start();
        var commands = CpuMeter.ByCommand();
        var exceptions = Clock.Exceptions;
        var begin = Clock.Now;
        var timings = await Task.WhenAll(sandboxes.Select(s => Task.Run(() => StartOneAsync(s.Name, s.Folder, s.Token, begin, cancellationToken), cancellationToken)));
        return new BatchResult("plain docker", n, run, Clock.Now - begin, timings) { Cpu = cpu.Stop(), TopCommands = CpuMeter.Top(commands), Exceptions = Clock.Exceptions - exceptions };
    }

    private async Task<SandboxTiming> StartOneAsync(string name, string folder, string token, double begin, CancellationToken cancellationToken)
    {
        var socket = Path.Combine(folder, "jupyter", "nb.sock");
        // Not cancellable: a `docker run` cut off mid-way could create its container after the cleanup looked.
        var (exit, output) = await RunAsync("docker", DockerRunArguments(name, folder, token), CancellationToken.None);
        var returned = Clock.Now;
        if (exit != 0) return SandboxTiming.Failed(name, returned - begin, $"docker run exited {exit}: {output.Trim()}");

        var deadline = begin + options.ReadyTimeoutSeconds * 1000.0;
        var socketSeen = double.NaN;
        while (Clock.Now < deadline)
        {
            // Only call curl once the socket exists: a curl process every 50 ms for each of 30 sandboxes
            // would itself load the 2 cores. Before the socket exists curl cannot succeed anyway.
            if (File.Exists(socket))
            {
                if (double.IsNaN(socketSeen)) socketSeen = Clock.Now;
                var (_, status) = await RunAsync("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "10",
                    "--unix-socket", socket, "-H", $"Authorization: token {token}", "http://localhost/api/kernelspecs"], cancellationToken);
                if (status.Trim() == "200")
                {
                    var ready = Clock.Now;
                    return new SandboxTiming(name, ready - begin,
                    [
                        ("docker run", returned - begin),           // CLI + create + start
                        ("socket", socketSeen - returned),          // until Jupyter's socket appears
                        ("jupyter", ready - socketSeen),            // until curl gets 200
                    ]);
                }
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        return SandboxTiming.Failed(name, Clock.Now - begin, $"no 200 from {socket} within {options.ReadyTimeoutSeconds} s");
    }

    private List<string> DockerRunArguments(string name, string folder, string token) =>
    [
        "run", "-d", "--name", name, "--label", LabelFilter,
        "--network", "none", "--read-only",
        "--tmpfs", $"/tmp:rw,nosuid,nodev,size={options.TmpMb * 1024L * 1024},mode=1777",
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "--user", $"{options.SandboxUid}:{options.SandboxGid}",
        "--init", "--ipc", "private", "--restart", "no",
        "--memory", $"{options.MemoryMb}m", "--memory-swap", $"{options.MemoryMb}m",
        "--cpus", options.Cpus.ToString(CultureInfo.InvariantCulture), "--pids-limit", options.PidsLimit.ToString(CultureInfo.InvariantCulture),
        "--ulimit", "nofile=4096:4096", "--log-opt", "max-size=10m", "--log-opt", "max-file=3",
        "-e", $"JUPYTER_TOKEN={token}", "-e", "DATAKAMP_OUTBOX=/outbox", "-w", "/workspace",
        "-v", $"{Path.Combine(folder, "workspace")}:/workspace", "-v", $"{Path.Combine(folder, "outbox")}:/outbox",
        "-v", $"{Path.Combine(folder, "jupyter")}:/run/jupyter",
        options.Image,
    ];

    /// <summary>Removes every container this run started the plain way.</summary>
    public async Task RemoveContainersAsync()
    {
        var containers = await engine.ListContainersAsync([LabelFilter], CancellationToken.None);
        await Task.WhenAll(containers.Select(c => engine.RemoveContainerAsync(c.Id, force: true, removeVolumes: true, CancellationToken.None)));
    }

    internal static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
