using System.Text;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;
using Datakamp.Check;
using Datakamp.TestSupport;

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

    private static string Policy => Path.Combine(TestEnvironment.RepositoryRoot, "policies", "cbs-persons.yaml");

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

    private static Task<(int Exit, string Out, string Err)> Run(params string[] args) => ConsoleCapture.RunAsync(args);

    [Fact]
    public async Task An_unsafe_cell_fails_with_exit_1_a_verdict_file_and_the_cell_marked_in_the_summary()
    {
        var verdictPath = Path.Combine(_dir, "verdict.json");
        var (exit, output, error) = await Run("check", "--data", Persons(), "--spec", Spec("income.yaml"), "--policy", Policy, "--out", verdictPath, "--details");

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
        var (exit, output, _) = await Run("check", "--data", Persons(), "--spec", Spec("income.yaml"), "--spec", count, "--policy", Policy, "--details");

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

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_prints_the_check_usage_and_exits_0(string flag)
    {
        var (exit, output, error) = await Run("check", flag);

        Assert.Equal(CheckExitCodes.Pass, exit);
        Assert.Equal("", error);
        Assert.StartsWith("usage: datakamp check --data FILE", output);
        Assert.Contains("--policy NAME|FILE", output);
        Assert.Contains("--details", output);
        Assert.Contains("66 an input file or policy name does not exist", output);
    }

    [Fact]
    public async Task The_default_output_is_a_short_summary_with_correct_plurals_and_details_are_on_request()
    {
        var (exit, output, _) = await Run("check", "--data", Persons(), "--spec", Spec("income.yaml"), "--policy", Policy);

        Assert.Equal(CheckExitCodes.Fail, exit);
        Assert.DoesNotMatch(@"Zuid\s+180\*", output);   // no grid by default
        Assert.Contains("1 of 3 cells fails and is marked for primary suppression.", output);
        Assert.Contains("1 more cell must be suppressed", output);
        Assert.Contains("3 cells: 1 flagged cell (* fail, ? review), 1 secondary suppression (#)", output);
        Assert.Contains("* district=Zuid: threshold", output);
        Assert.Contains("every table as a grid with all flagged cells: --details", output);
        Assert.DoesNotMatch(@"\b1 (units|cells|rows|values|more cells|flagged cells|secondary suppressions)\b", output);
    }

    [Fact]
    public async Task A_policy_is_found_by_its_name_in_the_policies_folder()
    {
        var (exit, output, error) = await Run("check", "--data", Persons(), "--spec", Spec("income.yaml"), "--policy", "acro-default");

        Assert.Equal(CheckExitCodes.Fail, exit);
        Assert.Equal("", error);
        Assert.Contains("(policy acro-default v", output);
    }

    [Fact]
    public async Task An_unknown_policy_name_is_one_line_naming_it_and_the_available_policies_with_exit_66()
    {
        var (exit, output, error) = await Run("check", "--data", Persons(), "--spec", Spec("income.yaml"), "--policy", "cbs-person");

        Assert.Equal(CheckExitCodes.NotFound, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("datakamp: --policy 'cbs-person': no such policy in ", error);
        Assert.EndsWith("(available: acro-default, cbs-businesses, cbs-persons)", error.TrimEnd());
    }

    [Fact]
    public async Task A_spec_without_file_is_checked_on_its_own_but_cannot_take_a_submitted_table()
    {
        var spec = Write("by_district.yaml", "version: 1\nkind: table\ndataset: persons\nunit: person_id\nrows: [district]\nstatistic: count\n");
        var (exit, output, error) = await Run("check", "--data", Persons(), "--spec", spec, "--policy", Policy);

        Assert.Equal(CheckExitCodes.Fail, exit);   // Zuid has 3 persons
        Assert.Equal("", error);
        Assert.Contains("== by_district (spec by_district.yaml, count): FAIL", output);

        var submitted = Write("by_district.csv", "district,value\nNoord,12\nZuid,3\n");
        (exit, _, error) = await Run("check", "--data", Persons(), "--spec", spec, "--policy", Policy, "--submitted", submitted);
        Assert.Equal(CheckExitCodes.BadInput, exit);
        Assert.Contains("by_district.yaml: missing key 'file'", error);
    }

    [Fact]
    public async Task An_out_into_a_missing_folder_fails_at_once_before_the_microdata_is_read()
    {
        // The data is bad (exit 65 once read): exit 64 and no summary show that --out was refused first.
        var data = Write("bad.csv", "person_id,district,age_band,income\nP1,Noord,15-24,lots\n");
        var missing = Path.Combine(_dir, "no-such-folder", "verdict.json");
        var (exit, output, error) = await Run("check", "--data", data, "--spec", Spec("income.yaml"), "--policy", Policy, "--out", missing);

        Assert.Equal(CheckExitCodes.Usage, exit);
        Assert.Equal("", output);
        Assert.Equal($"datakamp: check: --out {missing}: the folder {Path.GetDirectoryName(missing)} does not exist", error.TrimEnd());

        (exit, _, error) = await Run("check", "--data", data, "--spec", Spec("income.yaml"), "--policy", Policy, "--out", _dir);
        Assert.Equal(CheckExitCodes.Usage, exit);
        Assert.Contains("is a folder", error);
    }
}

