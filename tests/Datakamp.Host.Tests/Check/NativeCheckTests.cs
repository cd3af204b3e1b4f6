using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Datakamp.Check;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Check;

/// <summary>
/// <c>var/check/datakamp-check</c>, the native build of <c>datakamp check</c> (scripts/publish), against
/// <c>datakamp check</c> run in-process on the same files: the same exit code, the same stdout and stderr and the same
/// verdict, cell by cell, for every kind of outcome. The native build leaves out code that nothing seems to call; these
/// runs are what shows that nothing a check needs was left out. The binary is built by the README's test command.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class NativeCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dk-native-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string NativeCheck => Path.Combine(TestEnvironment.RepositoryRoot, "var", "check", "datakamp-check");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    // 3,000 persons in 8 districts of very different sizes x 4 age bands x 2 sexes, incomes skewed with a few very large
    // ones and some empty: a 3-way sum table with margins has cells that fail and need secondary suppression.
    private string Persons()
    {
        var random = new Random(7);
        var text = new StringBuilder("person_id,district,age_band,sex,income\n");
        string[] bands = ["0-17", "18-29", "30-64", "65+"];
        for (var i = 0; i < 3000; i++)
        {
            var district = $"D{Math.Min(7, (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 2.2))}";
            var income = random.NextDouble() < 0.03 ? "" : ((int)(random.NextDouble() < 0.01 ? 1_000_000 * random.NextDouble() : 20_000 + 40_000 * random.NextDouble()))
                .ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"P{i},{district},{bands[random.Next(4)]},{(random.Next(2) == 0 ? "M" : "V")},{income}\n");
        }
        return Write("persons.csv", text.ToString());
    }

    private string Spec(string name, string statistic, string dimensions) => Write(name, $"""
        version: 1
        kind: table
        dataset: persons
        unit: person_id
        {dimensions}
        statistic: {statistic}
        {(statistic == "count" ? "" : "value: income")}
        margins: true
        """);

    private static async Task<Run> InProcess(string[] args)
    {
        var (exit, output, error) = await ConsoleCapture.RunAsync(["check", .. args]);
        return new Run(exit, output, error);
    }

    private static async Task<Run> Native(string[] args)
    {
        var start = new ProcessStartInfo(NativeCheck) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new Run(process.ExitCode, await output, await error);
    }

    private sealed record Run(int Exit, string Out, string Err);

    /// <summary>Runs both with <paramref name="args"/> (each writing its own verdict when <paramref name="verdict"/>) and asserts they agree.</summary>
    private async Task<Run> AssertSame(string[] args, bool verdict = false)
    {
        TestEnvironment.RequireOrSkip(File.Exists(NativeCheck) ? null : $"{NativeCheck} is not built (bash scripts/publish check)");
        var ours = Path.Combine(_dir, "in-process.json");
        var native = Path.Combine(_dir, "native.json");
        var expected = await InProcess(verdict ? [.. args, "--out", ours] : args);
        var actual = await Native(verdict ? [.. args, "--out", native] : args);

        Assert.Equal(expected.Exit, actual.Exit);
        Assert.Equal(expected.Err, actual.Err);
        Assert.Equal(expected.Out.Replace(ours, native, StringComparison.Ordinal), actual.Out);
        if (verdict) Assert.Equal(WithoutTimings(ours), WithoutTimings(native));
        return actual;
    }

    // The solver's wall time is the one thing two runs may differ in.
    private static string WithoutTimings(string path)
    {
        var document = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var file in document["files"]!.AsArray())
            if (file!["suppression"] is JsonObject suppression) suppression.Remove("solve_seconds");
        return document.ToJsonString();
    }

    [Fact]
    public async Task A_3_way_magnitude_table_that_needs_secondary_suppression_gets_the_same_verdict_cell_by_cell()
    {
        var run = await AssertSame(["--data", Persons(), "--spec", Spec("income.yaml", "sum", "rows: [district]\ncols: [age_band]\nlayers: [sex]"),
            "--policy", "cbs-persons", "--details"], verdict: true);

        Assert.Equal(CheckExitCodes.Fail, run.Exit);
        Assert.Contains("more cells must be suppressed", run.Out);
    }

    [Fact]
    public async Task Linked_tables_read_through_the_cache_get_the_same_verdict_when_the_cache_is_built_and_when_it_is_read()
    {
        var data = Persons();
        string[] args = ["--data", data, "--spec", Spec("income.yaml", "sum", "rows: [district]\ncols: [age_band]"),
            "--spec", Spec("count.yaml", "count", "rows: [district]\ncols: [sex]"), "--policy", "cbs-businesses", "--cache"];

        await AssertSame(args, verdict: true);          // the in-process run builds the cache, the native one reads it
        File.Delete(data + ".dkcache");
        var native = await Native([.. args, "--out", Path.Combine(_dir, "native-built.json")]);   // the native one builds it
        var read = await InProcess([.. args, "--out", Path.Combine(_dir, "in-process-read.json")]);

        Assert.Equal(read.Exit, native.Exit);
        Assert.Equal(WithoutTimings(Path.Combine(_dir, "in-process-read.json")), WithoutTimings(Path.Combine(_dir, "native-built.json")));
    }

    [Fact]
    public async Task A_mean_table_under_acro_default_with_a_matching_submitted_file_gets_the_same_verdict()
    {
        var spec = Write("mean.yaml", "version: 1\nkind: table\ndataset: persons\nunit: person_id\nrows: [age_band]\nstatistic: mean\nvalue: income\nfile: mean.csv\n");
        var submitted = Write("mean.csv", "age_band,value\n0-17,1\n18-29,2\n30-64,3\n65+,4\n");

        await AssertSame(["--data", Persons(), "--spec", spec, "--policy", "acro-default", "--submitted", submitted], verdict: true);
    }

    [Fact]
    public async Task Help_usage_errors_bad_input_and_missing_files_give_the_same_text_and_exit_code()
    {
        var persons = Persons();
        var spec = Spec("income.yaml", "sum", "rows: [district]");
        var badSpec = Write("bad.yaml", "version: 1\nkind: table\ndataset: persons\nunit: person_id\nrows: [district]\nstatistic: median\n");

        Assert.Equal(CheckExitCodes.Pass, (await AssertSame(["--help"])).Exit);
        Assert.Equal(CheckExitCodes.Usage, (await AssertSame(["--data", persons, "--spec", spec, "--policy", "cbs-persons", "--colour"])).Exit);
        Assert.Equal(CheckExitCodes.Usage, (await AssertSame(["--data", persons, "--spec", spec, "--policy", "cbs-persons", "--out", Path.Combine(_dir, "no", "v.json")])).Exit);
        Assert.Equal(CheckExitCodes.BadInput, (await AssertSame(["--data", persons, "--spec", badSpec, "--policy", "cbs-persons"])).Exit);
        Assert.Equal(CheckExitCodes.NotFound, (await AssertSame(["--data", persons, "--spec", spec, "--policy", "cbs-nobody"])).Exit);
        Assert.Equal(CheckExitCodes.NotFound, (await AssertSame(["--data", Path.Combine(_dir, "none.csv"), "--spec", spec, "--policy", "cbs-persons"])).Exit);
    }
}
