using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Datakamp.Benchmarks.Sandboxes;
using Datakamp.Docker;
using Datakamp.Host.Options;
using Datakamp.TestSupport;

// Sandbox start-up benchmark (issue #4 item 8). See README.md next to this file.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchmarkSettings settings;
try { settings = BenchmarkSettings.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"benchmark: {e.Message}\n\n{BenchmarkSettings.Usage}");
    return 64;
}
if (settings.Help)
{
    Console.WriteLine(BenchmarkSettings.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
// Ctrl+C, kill and a closed terminal all end through the finally below: every container this run started is removed.
var signals = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, context =>
{
    context.Cancel = true;
    if (!cancel.IsCancellationRequested) Console.Error.WriteLine($"benchmark: {context.Signal}; stopping and removing the containers it started");
    cancel.Cancel();
})).ToList();

Clock.CountExceptions();
void Progress(string line) => Console.Error.WriteLine($"[{Clock.Now / 1000,7:0.0} s] {line}");

var options = settings.Sandbox;
using var engine = new DockerDotNetEngine(new DockerEngineOptions());
string? problem = null;
try { await engine.PingAsync(CancellationToken.None); }
catch (Exception e) when (e is DockerEngineUnavailableException or DockerApiException or DockerTimeoutException) { problem = $"the Docker engine does not answer ({e.Message}); run 'bash scripts/setup'"; }
if (problem is null && await engine.InspectImageAsync(options.Image, CancellationToken.None) is null)
    problem = $"the image {options.Image} is not on this machine; run 'bash scripts/setup' (it builds the images; never pull)";
if (problem is null && Environment.UserName != "root")
    problem = "run as root: sandbox folders are handed to the sandbox user (uid " + options.SandboxUid + "), as the host does";
if (problem is not null)
{
    Console.Error.WriteLine($"benchmark: {problem}");
    return 69;
}

var version = await engine.GetVersionAsync(CancellationToken.None);
var runLabel = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
var leftovers = await engine.ListContainersAsync([PlainDocker.Label], CancellationToken.None);
if (leftovers.Count > 0)
    Progress($"note: {leftovers.Count} container(s) of an earlier benchmark run are still there (label {PlainDocker.Label}); they are left alone but take memory and CPU");

var scratch = TestEnvironment.CreateScratchDirectory("bench");
var postgres = new PostgresFixture();
DatakampSandboxes? datakamp = null;
var plain = new PlainDocker(engine, scratch, runLabel, options);
var results = new List<BatchResult>();
Progress($"run {runLabel}: every container it starts carries the label {plain.LabelFilter}");
try
{
    Progress("starting the embedded PostgreSQL and the IDE proxy");
    await postgres.InitializeAsync();
    if (postgres.UnavailableReason is not null)
    {
        Console.Error.WriteLine($"benchmark: {postgres.UnavailableReason}; run 'bash scripts/setup'");
        return 69;
    }
    datakamp = await DatakampSandboxes.StartAsync(postgres, engine, new(PlainDocker.Label, runLabel), settings.InspectCacheMs, Path.Combine(scratch, "state"), options);

    async Task<BatchResult> RunBatchAsync(string method, int n, int run)
    {
        var result = method.StartsWith("Datakamp", StringComparison.Ordinal)
            ? await datakamp.RunBatchAsync(n, run, cancel.Token)
            : await plain.RunBatchAsync(n, run, cancel.Token);
        Progress($"{result.Method,-12} N={n,-2} run {run}: {result.ReadyCount}/{n} ready; median {Format(result.MedianReadyMs)} s, max {Format(result.MaxReadyMs)} s, all ready after {Format(result.WallMs)} s; CPU s: machine {result.Cpu["machine"]:0.0}, containers {result.Cpu["containers"]:0.0}, dockerd {result.Cpu["dockerd"]:0.0}, benchmark {result.Cpu["benchmark"]:0.0}");
        Progress($"  CPU s by command: {result.TopCommands}; exceptions thrown in this process: {result.Exceptions}");
        foreach (var failure in result.Sandboxes.Where(s => !s.Ok).Take(3)) Progress($"  {failure.Name} failed: {failure.Error}");
        // Clean slate for the next batch: remove, then let the engine and the disks settle.
        await datakamp.RemoveContainersAsync();
        await plain.RemoveContainersAsync();
        await Task.Delay(TimeSpan.FromSeconds(settings.SettleSeconds), cancel.Token);
        return result;
    }

    if (settings.Warmup)
    {
        Progress("warm-up (not counted): one sandbox each way, so that image layers are cached and the code paths are compiled");
        await RunBatchAsync("Datakamp", 1, 0);
        await RunBatchAsync("plain docker", 1, 0);
    }
    foreach (var (n, runs) in settings.Plan)
    {
        for (var run = 1; run <= runs; run++)
        {
            // Alternate which method goes first, so that neither always gets the quieter machine.
            var order = run % 2 == 1 ? new[] { "Datakamp", "plain docker" } : ["plain docker", "Datakamp"];
            foreach (var method in order) results.Add(await RunBatchAsync(method, n, run));
        }
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Progress("interrupted: the figures so far follow");
}
finally
{
    Progress($"exceptions thrown in this process, by kind: {Clock.TopExceptionTypes()}");
    Progress("removing every container this run started");
    // Twice, a moment apart: an engine call cut off by an interrupt may still create its container.
    for (var pass = 0; pass < 2; pass++)
    {
        if (pass > 0) await Task.Delay(TimeSpan.FromSeconds(2));
        if (datakamp is not null) await datakamp.RemoveContainersAsync();
        await plain.RemoveContainersAsync();
    }
    if (datakamp is not null) await datakamp.DisposeAsync();
    await postgres.DisposeAsync();
    // The manager loop-mounts each team's disk under the scratch folder; the folder can only go once they are unmounted.
    foreach (var mount in File.ReadLines("/proc/mounts").Select(line => line.Split(' ')[1])
                 .Where(path => path.StartsWith(scratch + "/", StringComparison.Ordinal)).OrderByDescending(path => path.Length))
    {
        using var umount = System.Diagnostics.Process.Start("umount", [mount]);
        await umount.WaitForExitAsync();
        if (umount.ExitCode != 0) Progress($"could not unmount {mount} (umount exit code {umount.ExitCode})");
    }
    try { Directory.Delete(scratch, recursive: true); }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Progress($"could not delete {scratch}: {e.Message}"); }
}

foreach (var registration in signals) registration.Dispose();
Console.WriteLine(Report.Markdown(results, settings, $"Docker {version.Version} (API {version.ApiVersion})"));
return results.All(r => r.AllReady) && results.Count > 0 ? 0 : 1;

static string Format(double ms) => double.IsNaN(ms) ? "-" : (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture);

namespace Datakamp.Benchmarks.Sandboxes
{
    internal sealed record BenchmarkSettings(IReadOnlyList<(int N, int Runs)> Plan, SandboxOptions Sandbox, bool Warmup, int SettleSeconds, bool Help, int InspectCacheMs = 0)
    {
        public const string Usage = """
            usage: bash benchmarks/sandboxes/run [--plan 1x5,10x2,30x2] [--memory-mb 512] [--cpus 1]
                                                 [--pids 512] [--tmp-mb 256] [--settle 3] [--no-warmup]
                                                 [--what-if-inspect-every-ms 1000]
              --plan       N x runs, comma-separated: how many sandboxes start at once, and how often
              --memory-mb  memory limit per sandbox (= memory + swap), both methods
              --cpus       CPU limit per sandbox, both methods
              --settle     seconds to wait after removing a batch before the next one
              --what-if-inspect-every-ms
                           experiment, not the product: while the manager waits for Jupyter, answer its
                           container inspects from one at most this old (measures the polling's cost)
            """;

        public static BenchmarkSettings Parse(string[] args)
        {
            var plan = new List<(int, int)> { (1, 5), (10, 2), (30, 2) };
            var sandbox = new SandboxOptions { MemoryMb = 512, ReadyTimeoutSeconds = 180 };
            var warmup = true;
            var settle = 3;
            var inspectCache = 0;
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                int Int() { var v = Value(); return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"not a positive number: {v}"); }
                switch (args[i])
                {
                    case "--plan": plan = ParsePlan(Value()); break;
                    case "--memory-mb": sandbox.MemoryMb = Int(); break;
                    case "--cpus": sandbox.Cpus = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var c) && c > 0 ? c : throw new ArgumentException("--cpus needs a positive number"); break;
                    case "--pids": sandbox.PidsLimit = Int(); break;
                    case "--tmp-mb": sandbox.TmpMb = Int(); break;
                    case "--settle": settle = Int(); break;
                    case "--no-warmup": warmup = false; break;
                    case "--what-if-inspect-every-ms": inspectCache = Int(); break;
                    case "-h" or "--help": return new BenchmarkSettings(plan, sandbox, warmup, settle, Help: true);
                    default: throw new ArgumentException($"unknown argument {args[i]}");
                }
            }
            return new BenchmarkSettings(plan, sandbox, warmup, settle, Help: false, inspectCache);
        }

        private static List<(int, int)> ParsePlan(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(part =>
        {
            var pieces = part.Split('x');
            return pieces.Length == 2 && int.TryParse(pieces[0], CultureInfo.InvariantCulture, out var n) && int.TryParse(pieces[1], CultureInfo.InvariantCulture, out var runs) && n is > 0 and <= 99 && runs > 0
                ? (n, runs)
                : throw new ArgumentException($"--plan: '{part}' is not NxRUNS (e.g. 30x2; N at most 99)");
        }).ToList();
    }

    internal static class Report
    {
        private const double ReadyTargetMs = 60_000;
        private const double OverheadTarget = 0.20;

        public static string Markdown(IReadOnlyList<BatchResult> results, BenchmarkSettings settings, string engine)
        {
            var o = settings.Sandbox;
            var md = new StringBuilder();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Sandbox start-up, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {engine}, image `{o.Image}`; per sandbox {o.MemoryMb} MB memory (no swap), {o.Cpus} CPU, {o.PidsLimit} pids, {o.TmpMb} MB /tmp. Times in seconds from the moment all N were asked for; each cell is the median over the runs.");
            md.AppendLine();
            if (settings.InspectCacheMs > 0)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"**What-if run, not the product's behaviour**: while waiting for Jupyter, the manager's container inspects were answered from one at most {settings.InspectCacheMs} ms old.");
                md.AppendLine();
            }
            md.AppendLine("| N | runs | Datakamp median | Datakamp max | Datakamp all ready | plain docker median | plain docker max | plain docker all ready | Datakamp − plain (median) |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var n in results.Select(r => r.N).Distinct())
            {
                var dk = results.Where(r => r.N == n && r.Method.StartsWith("Datakamp", StringComparison.Ordinal)).ToList();
                var pl = results.Where(r => r.N == n && !r.Method.StartsWith("Datakamp", StringComparison.Ordinal)).ToList();
                double M(IEnumerable<BatchResult> rs, Func<BatchResult, double> f) => Stats.Median(rs.Select(f));
                var dkMedian = M(dk, r => r.MedianReadyMs);
                var plMedian = M(pl, r => r.MedianReadyMs);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {n} | {dk.Count} | {S(dkMedian)} | {S(M(dk, r => r.MaxReadyMs))} | {S(M(dk, r => r.WallMs))}{Failures(dk)} | {S(plMedian)} | {S(M(pl, r => r.MaxReadyMs))} | {S(M(pl, r => r.WallMs))}{Failures(pl)} | {Delta(dkMedian, plMedian)} |");
            }
            md.AppendLine();

            md.AppendLine("Where the time goes (median over all sandboxes of all runs, seconds):");
            md.AppendLine();
            md.AppendLine("| N | Datakamp: prepare | create | start | Jupyter answers (100 ms polls) | request via IdeProxy | plain: `docker run -d` | socket appears | curl 200 |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var n in results.Select(r => r.N).Distinct())
            {
                var dk = results.Where(r => r.N == n && r.Method.StartsWith("Datakamp", StringComparison.Ordinal)).ToList();
                var pl = results.Where(r => r.N == n && !r.Method.StartsWith("Datakamp", StringComparison.Ordinal)).ToList();
                string P(List<BatchResult> rs, string phase) => S(Stats.Median(rs.SelectMany(r => r.Sandboxes.Where(s => s.Ok)).SelectMany(s => s.Phases).Where(p => p.Phase == phase).Select(p => p.Ms)));
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {n} | {P(dk, "prepare")} | {P(dk, "create")} | {P(dk, "start")} | {P(dk, "jupyter")} | {P(dk, "proxy")} | {P(pl, "docker run")} | {P(pl, "socket")} | {P(pl, "jupyter")} |");
            }
            md.AppendLine();

            md.AppendLine("Every run:");
            md.AppendLine();
            md.AppendLine("| N | run | method | ready | median | max | all ready | CPU s: machine | containers | dockerd | containerd | benchmark process | inspects per sandbox | exceptions in the benchmark process |");
            md.AppendLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.N} | {r.Run} | {r.Method} | {r.ReadyCount}/{r.N} | {S(r.MedianReadyMs)} | {S(r.MaxReadyMs)} | {S(r.WallMs)} | {C(r, "machine")} | {C(r, "containers")} | {C(r, "dockerd")} | {C(r, "containerd")} | {C(r, "benchmark")} | {(double.IsNaN(r.MedianInspects) ? "-" : r.MedianInspects.ToString("0", CultureInfo.InvariantCulture))} | {r.Exceptions} |");
            md.AppendLine();

            md.AppendLine("CPU seconds by command during each run (largest first; the machine is shared, so other people's work shows here too):");
            md.AppendLine();
            foreach (var r in results) md.AppendLine(CultureInfo.InvariantCulture, $"- N = {r.N}, run {r.Run}, {r.Method}: {r.TopCommands}");
            md.AppendLine();

            md.AppendLine("Targets:");
            md.AppendLine();
            var one = results.Where(r => r.N == 1).ToList();
            if (one.Count > 0)
            {
                var dk1 = Stats.Median(one.Where(r => r.Method.StartsWith("Datakamp", StringComparison.Ordinal)).Select(r => r.MedianReadyMs));
                var pl1 = Stats.Median(one.Where(r => !r.Method.StartsWith("Datakamp", StringComparison.Ordinal)).Select(r => r.MedianReadyMs));
                var overhead = dk1 / pl1 - 1;
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- N = 1, Datakamp within 20% of plain docker: {(overhead <= OverheadTarget ? "**met**" : "**missed**")} ({S(dk1)} s vs {S(pl1)} s: {overhead:+0%;-0%})");
            }
            var thirty = results.Where(r => r.N == 30 && r.Method.StartsWith("Datakamp", StringComparison.Ordinal)).ToList();
            if (thirty.Count > 0)
            {
                var met = thirty.All(r => r.AllReady && r.WallMs <= ReadyTargetMs);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- N = 30, all ready within 60 s: {(met ? "**met**" : "**missed**")} (all ready after {string.Join(", ", thirty.Select(r => r.AllReady ? S(r.WallMs) + " s" : $"{r.ReadyCount}/30 ready"))})");
            }
            return md.ToString();
        }

        private static string C(BatchResult r, string key) => r.Cpu.TryGetValue(key, out var s) && !double.IsNaN(s) ? s.ToString("0.0", CultureInfo.InvariantCulture) : "-";

        private static string S(double ms) => double.IsNaN(ms) ? "-" : (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture);

        private static string Delta(double dk, double plain) =>
            double.IsNaN(dk) || double.IsNaN(plain) ? "-" : $"{(dk - plain) / 1000:+0.00;-0.00} s ({dk / plain - 1:+0%;-0%})";

        private static string Failures(List<BatchResult> runs) =>
            runs.All(r => r.AllReady) ? "" : $" ({runs.Sum(r => r.N - r.ReadyCount)} not ready)";
    }
}
