using System.Text;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;
using Datakamp.Host.Check;
using Datakamp.Host.Cli;

namespace Datakamp.Host.Tests.Check;

/// <summary>
/// <c>datakamp check</c> called in-process on small files: exit codes, the verdict file and the summary.
/// Console output is captured, so these tests do not run in parallel with each other.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class CheckCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dk-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private static string Policy
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (!Directory.Exists(Path.Combine(dir!.FullName, "policies"))) dir = dir.Parent;
            return Path.Combine(dir.FullName, "policies", "cbs-persons.yaml");
        }
    }

    // Noord: 12 persons (safe); Zuid: 3 persons (fails the threshold). Two age bands for a 2-way table.
    private string Persons() => Write("persons.csv", "person_id,district,age_band,sex,income\n"
        + string.Concat(Enumerable.Range(1, 12).Select(i => $"P{i},Noord,{(i % 2 == 0 ? "15-24" : "25-34")},{(i % 3 == 0 ? "M" : "V")},100\n"))
        + "P13,Zuid,15-24,M,50\nP14,Zuid,15-24,V,60\nP15,Zuid,25-34,V,70\n");

    private string Spec(string name, string statistic = "sum", string extra = "") => Write(name, $"""
        version: 1
        kind: table
        dataset: persons
        unit: person_id
        rows: [district]
        statistic: {statistic}
        {(statistic == "count" ? "" : "value: income")}
        margins: true
        file: {Path.GetFileNameWithoutExtension(name)}.csv
        {extra}
        """);

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try { return (await DatakampCommandLine.RunAsync(args), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    [Fact]
    public async Task An_unsafe_cell_fails_with_exit_1_a_verdict_file_and_the_cell_marked_in_the_summary()
    {
        var verdictPath = Path.Combine(_dir, "verdict.json");
        var (exit, output, error) = await Run("check", "--data", Persons(), "--spec", Spec("income.yaml"), "--policy", Policy, "--out", verdictPath);

        Assert.Equal(CheckExitCodes.Fail, exit);
        Assert.Equal("", error);
        var verdict = VerdictJsonContext.Deserialize(await File.ReadAllTextAsync(verdictPath, TestContext.Current.CancellationToken))!;
        Assert.Equal(CheckStatus.Fail, verdict.Status);
        var zuid = verdict.Files[0].Cells.Single(c => c.Id == "district=Zuid");
        Assert.True(zuid.PrimarySuppressed);
        Assert.Contains("== income.csv (spec income.yaml, sum): FAIL", output);
        Assert.Matches(@"Zuid\s+180\*", output);
        Assert.Contains("* district=Zuid: threshold", output);
        Assert.Contains("No submitted file was given", output);
        // Zuid is the only other district: the total would give it away, so Noord or Total is a secondary.
        var secondary = Assert.Single(verdict.Files[0].Cells, c => c.SecondarySuppressed);
        Assert.Equal(SuppressionOutcome.Protected, verdict.Files[0].Suppression!.Status);
        Assert.Matches(@"(Noord\s+1,200#)|(Total\s+1,380#)", output);
        Assert.Contains($"# {secondary.Id}", output);
        Assert.Contains("information loss", output);
    }

    [Fact]
    public async Task Linked_tables_are_checked_together_and_a_3_way_table_prints_one_block_per_layer()
    {
        var count = Spec("count.yaml", "count", "cols: [age_band]\nlayers: [sex]");
        var (exit, output, _) = await Run("check", "--data", Persons(), "--spec", Spec("income.yaml"), "--spec", count, "--policy", Policy);

        Assert.Equal(CheckExitCodes.Fail, exit);
        Assert.Contains("== count.csv (spec count.yaml, count): FAIL", output);
        Assert.Contains("sex = M", output);
        Assert.Contains("sex = Total", output);
        Assert.Matches(@"Zuid\s+2\*\s+1\*\s+3\*", output);   // layer sex = Total: 15-24, 25-34, Total
    }

    [Fact]
    public async Task A_safe_table_with_a_matching_submitted_file_passes_with_exit_0()
    {
        var spec = Write("noord.yaml", """
            version: 1
            kind: table
            dataset: persons
            unit: person_id
            rows: [district]
            statistic: count
            filter: district == "Noord"
            file: noord.csv
            """);
        var submitted = Write("noord.csv", "district,value\nNoord,12\n");
        var (exit, output, error) = await Run("check", "--data", Persons(), "--spec", spec, "--policy", Policy, "--submitted", submitted);

        Assert.Equal(CheckExitCodes.Pass, exit);
        Assert.Equal("", error);
        Assert.Contains("verdict: PASS", output);
    }

    [Fact]
    public async Task A_submitted_value_that_differs_needs_review_with_exit_2()
    {
        var spec = Write("noord.yaml", "version: 1\nkind: table\ndataset: persons\nunit: person_id\nrows: [district]\nstatistic: count\nfilter: district == \"Noord\"\nfile: noord.csv\n");
        var submitted = Write("noord.csv", "district,value\nNoord,13\n");
        var (exit, output, _) = await Run("check", "--data", Persons(), "--spec", spec, "--policy", Policy, "--submitted", submitted);

        Assert.Equal(CheckExitCodes.Review, exit);
        Assert.Contains("? district=Noord: submitted_differs", output);
    }

    [Fact]
    public async Task Bad_input_is_one_line_on_stderr_with_file_and_line()
    {
        var data = Write("bad.csv", "person_id,district,age_band,income\nP1,Noord,15-24,100\nP2,Noord,15-24,lots\n");
        var (exit, _, error) = await Run("check", "--data", data, "--spec", Spec("income.yaml"), "--policy", Policy);

        Assert.Equal(CheckExitCodes.BadInput, exit);
        Assert.Equal("datakamp: bad.csv:3: column 'income' has 'lots', which is not a number", error.TrimEnd());
    }

    [Fact]
    public async Task A_bad_spec_a_missing_file_and_a_bad_command_line_have_their_own_exit_codes()
    {
        var badSpec = Write("bad.yaml", "version: 1\nkind: table\ncolums: [x]\n");
        var (exit, _, error) = await Run("check", "--data", Persons(), "--spec", badSpec, "--policy", Policy);
        Assert.Equal(CheckExitCodes.BadInput, exit);
        Assert.StartsWith("datakamp: ", error);
        Assert.Contains("bad.yaml:", error);
        Assert.Single(error.TrimEnd().Split('\n'));

        (exit, _, error) = await Run("check", "--data", Path.Combine(_dir, "nope.csv"), "--spec", Spec("income.yaml"), "--policy", Policy);
        Assert.Equal(CheckExitCodes.NotFound, exit);
        Assert.Contains("nope.csv: no such file", error);

        (exit, _, error) = await Run("check", "--data", Persons(), "--policy", Policy);
        Assert.Equal(CheckExitCodes.Usage, exit);
        Assert.Contains("at least one --spec is required", error);
        Assert.DoesNotContain("   at ", error);
    }
}

/// <summary>Tests that replace Console.Out/Error run one at a time.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;
