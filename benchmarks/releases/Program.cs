using System.Globalization;
using System.Text;
using Datakamp.Benchmarks.Releases;
using Datakamp.Host.Demo;
using Datakamp.TestSupport;
using Microsoft.Extensions.Logging;

// Release check latency benchmark (issue #11). See README.md next to this file.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Settings settings;
try { settings = Settings.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"benchmark: {e.Message}\n\n{Settings.Usage}");
    return 64;
}
if (settings.Help)
{
    Console.WriteLine(Settings.Usage);
    return 0;
}

void Progress(string line) => Console.Error.WriteLine($"[{Clock.Now / 1000,7:0.0} s] {line}");
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
// The product's warnings and errors (a failed check pass, say) go to stderr with the progress.
using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Warning).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

var scratch = TestEnvironment.CreateScratchDirectory("relbench");
var postgres = new PostgresFixture();
DatakampReleases? datakamp = null;
var results = new List<Series>();
List<TableFiles> tables;
long personsBytes;
try
{
    var personsCsv = Path.Combine(scratch, "persons.csv");
    await using (var writer = new StreamWriter(personsCsv, false, new UTF8Encoding(false), 1 << 20))
        SyntheticPersons.Write(writer, settings.Persons, DemoEventSeeder.Seed);
    personsBytes = new FileInfo(personsCsv).Length;
    var persons = PersonsTables.Read(personsCsv);
    tables = Enumerable.Range(0, settings.Submissions).Select(persons.Make).ToList();
    Progress($"{settings.Persons} synthetic persons ({personsBytes / 1e6:0.0} MB), {tables.Count} tables computed in C#");

    Progress("starting the embedded PostgreSQL, a migrated database and the check worker");
    await postgres.InitializeAsync();
    if (postgres.UnavailableReason is not null)
    {
        Console.Error.WriteLine($"benchmark: {postgres.UnavailableReason}; run 'bash scripts/setup'");
        return 69;
    }
    datakamp = await DatakampReleases.StartAsync(postgres, Path.Combine(scratch, "state"), personsCsv, settings.PollMs, loggers);
    var engineFolder = Directory.CreateDirectory(Path.Combine(scratch, "check")).FullName;
    var engine = new DirectEngine(personsCsv, Path.Combine(TestEnvironment.RepositoryRoot, "policies", "cbs-persons.yaml"), engineFolder);
    foreach (var table in tables) engine.Prepare(table);

    if (settings.Warmup)
    {
        Progress("warm-up (not counted): both tables each way, so that the code paths are compiled and the caches warm");
        foreach (var table in tables.Take(2))
        {
            await datakamp.SubmitAsync(table, cancel.Token);
            var verdict = await engine.CheckAsync(table, cancel.Token);
            Progress($"  {table.Name}: {verdict.Verdict}: {verdict.Reasons}");
        }
    }

    Progress($"sequential: {tables.Count} tables one after another, each through both methods (alternating which goes first)");
    var sequential = (Datakamp: new List<Timing>(), Engine: new List<Timing>());
    var load = MachineLoad.Sample();
    for (var i = 0; i < tables.Count; i++)
    {
        async Task ViaDatakamp() => sequential.Datakamp.Add(await datakamp.SubmitAsync(tables[i], cancel.Token));
        async Task ViaEngine() => sequential.Engine.Add(await engine.CheckAsync(tables[i], cancel.Token));
        if (i % 2 == 0) { await ViaDatakamp(); await ViaEngine(); }
        else { await ViaEngine(); await ViaDatakamp(); }
        Progress($"  {tables[i].Name}: Datakamp {sequential.Datakamp[^1].Ms:0} ms ({sequential.Datakamp[^1].Verdict}), engine alone {sequential.Engine[^1].Ms:0} ms ({sequential.Engine[^1].Verdict})");
    }
    // The two methods took turns, so each one's total is the sum of its own timings.
    var sequentialLoad = MachineLoad.Since(load);
    results.Add(new Series(Methods.Datakamp, "one after another", sequential.Datakamp, sequential.Datakamp.Sum(t => t.Ms), sequentialLoad));
    results.Add(new Series(Methods.Engine, "one after another", sequential.Engine, sequential.Engine.Sum(t => t.Ms), sequentialLoad));

    if (settings.Burst)
    {
        foreach (var method in new[] { Methods.Datakamp, Methods.Engine })
        {
            Progress($"burst: {tables.Count} tables at once, {method}");
            load = MachineLoad.Sample();
            var began = Clock.Now;
            var timings = await Task.WhenAll(tables.Select(table => Task.Run(() => method == Methods.Datakamp
                ? datakamp.SubmitAsync(table, cancel.Token)
                : engine.CheckAsync(table, cancel.Token))));
            var series = new Series(method, "all at once", timings, Clock.Now - began, MachineLoad.Since(load));
            results.Add(series);
            Progress($"  p50 {series.P50:0} ms, p95 {series.P95:0} ms, max {series.Max:0} ms; all done after {series.WallMs:0} ms");
        }
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Progress("interrupted");
    return 130;
}
finally
{
    if (datakamp is not null) await datakamp.DisposeAsync();
    await postgres.DisposeAsync();
    try { Directory.Delete(scratch, recursive: true); }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { Progress($"could not delete {scratch}: {e.Message}"); }
}

Console.WriteLine(Report.Markdown(results, settings, tables, personsBytes));
return results.All(r => r.Failed == 0) ? 0 : 1;

namespace Datakamp.Benchmarks.Releases
{
    internal static class Methods
    {
        public const string Datakamp = "Datakamp (queue + worker)";
        public const string Engine = "engine alone (`datakamp check`)";
    }

    internal sealed record Settings(int Submissions, int Persons, int PollMs, bool Warmup, bool Burst, bool Help)
    {
        public const string Usage = """
            usage: bash benchmarks/releases/run [--submissions 20] [--persons 20000] [--poll-ms 5] [--no-burst] [--no-warmup]
              --submissions  tables submitted one after another (and at once, for the burst)
              --persons      synthetic persons in the microdata (the demo data has 20,000)
              --poll-ms      how often each submission's poller asks the database whether it is checked
              --no-burst     skip the burst of all submissions at once
              --no-warmup    count the first submissions too
            """;

        public static Settings Parse(string[] args)
        {
            var settings = new Settings(20, 20_000, 5, Warmup: true, Burst: true, Help: false);
            for (var i = 0; i < args.Length; i++)
            {
                int Int()
                {
                    var v = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                    return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"not a positive number: {v}");
                }
                settings = args[i] switch
                {
                    "--submissions" => settings with { Submissions = Int() },
                    "--persons" => settings with { Persons = Int() },
                    "--poll-ms" => settings with { PollMs = Int() },
                    "--no-burst" => settings with { Burst = false },
                    "--no-warmup" => settings with { Warmup = false },
                    "-h" or "--help" => settings with { Help = true },
                    _ => throw new ArgumentException($"unknown argument {args[i]}"),
                };
            }
            return settings;
        }
    }

    internal static class Report
    {
        private const double TargetP50Ms = 1000;

        public static string Markdown(IReadOnlyList<Series> results, Settings settings, IReadOnlyList<TableFiles> tables, long personsBytes)
        {
            var md = new StringBuilder();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Release check latency, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"{Environment.ProcessorCount} cores; {settings.Persons:N0} synthetic persons ({personsBytes / 1e6:0.0} MB CSV), policy cbs-persons; {tables.Count} submissions of one table each, alternately {Describe(tables)}; warm-up {(settings.Warmup ? "2 submissions each way, not counted" : "none")}.");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"Datakamp: from just before `ReleaseRepository.SubmitAsync` until the request is `checked` (`FindAsync` every {settings.PollMs} ms, by one poller per submission). Engine alone: policy and spec loaded, `DisclosureChecker.CheckAsync`. Milliseconds.");
            md.AppendLine();
            md.AppendLine("| submissions | method | n | p50 | p95 | max | total (sequential) or all done after (at once) | machine CPU busy | load average at the end |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var s in results)
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {s.Phase} | {s.Method} | {s.Timings.Count - s.Failed}{(s.Failed > 0 ? $" ({s.Failed} failed)" : "")} | {Ms(s.P50)} | {Ms(s.P95)} | {Ms(s.Max)} | {Ms(s.WallMs)} | {s.Load.BusyPercent:0}% | {s.Load.LoadAverage} |");
            md.AppendLine();

            md.AppendLine("Where the Datakamp time goes (p50 of each part over the submissions, from the times the database kept; ms):");
            md.AppendLine();
            var parts = results.SelectMany(r => r.Timings).SelectMany(t => t.Phases).Select(p => p.Phase).Distinct().ToList();
            md.AppendLine(CultureInfo.InvariantCulture, $"| submissions | {string.Join(" | ", parts)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(parts.Select(_ => "---:|"))}");
            foreach (var s in results.Where(r => r.Method == Methods.Datakamp))
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {s.Phase} | {string.Join(" | ", parts.Select(part => Ms(Stats.Percentile(s.Timings.SelectMany(t => t.Phases).Where(p => p.Phase == part).Select(p => p.Ms), 50))))} |");
            md.AppendLine();

            foreach (var phase in results.Select(r => r.Phase).Distinct())
            {
                var dk = results.Single(r => r.Phase == phase && r.Method == Methods.Datakamp);
                var alone = results.Single(r => r.Phase == phase && r.Method == Methods.Engine);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- {phase}: the release path adds {dk.P50 - alone.P50:+0;-0} ms at p50 and {dk.P95 - alone.P95:+0;-0} ms at p95 to the engine alone.");
            }
            var verdicts = results.SelectMany(r => r.Timings.Select(t => (r.Method, t.Table[4..], t.Verdict))).Distinct()
                .GroupBy(v => v.Item2).Select(g => $"{g.Key}: {string.Join(", ", g.Select(v => $"{v.Verdict} ({(v.Method == Methods.Datakamp ? "Datakamp" : "engine")})"))}");
            md.AppendLine(CultureInfo.InvariantCulture, $"- Verdicts on the tables: {string.Join("; ", verdicts)}.");
            var sequential = results.FirstOrDefault(r => r.Phase == "one after another" && r.Method == Methods.Datakamp);
            if (sequential is not null)
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"- Target p50 at most 1 s (one after another, Datakamp): {(sequential.P50 <= TargetP50Ms && sequential.Failed == 0 ? "**met**" : "**missed**")} ({Ms(sequential.P50)} ms).");
            return md.ToString();
        }

        private static string Describe(IReadOnlyList<TableFiles> tables) =>
            string.Join(" and ", tables.Take(2).Select(t => $"`{t.Name[4..]}` ({t.Csv.Count(c => c == '\n') - 1} cells with margins)"));

        private static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString("0", CultureInfo.InvariantCulture);
    }
}
