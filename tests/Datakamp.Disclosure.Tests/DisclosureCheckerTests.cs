using System.Security.Cryptography;
using System.Text;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Disclosure.Tests;

public sealed class DisclosureCheckerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dk-disclosure-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    // Region A: 12 persons with income 10 (safe). Region B: 3 persons (unsafe: threshold).
    private string Microdata() => Write("persons.csv", "id,region,income\n"
        + string.Concat(Enumerable.Range(1, 12).Select(i => $"{i},A,10\n"))
        + "13,B,5\n14,B,5\n15,B,5\n");

    private Task<VerdictDocument> Check(string submitted, string? specExtra = null)
    {
        var data = Microdata();
        var spec = TestData.Spec(TestData.SpecYaml("sum", margins: true) + (specExtra ?? ""));
        var outPath = Write("out.csv", submitted);
        return DisclosureChecker.CheckAsync(new CheckRequest(data, [spec], TestData.Policy(),
            new Dictionary<string, string> { ["out.csv"] = outPath }), null, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Unsafe_cell_fails_the_file_and_the_verdict_with_reasons()
    {
        var v = await Check("region,value\nA,120\nB,15\nTotal,135\n");
        Assert.Equal(CheckStatus.Fail, v.Status);
        var file = Assert.Single(v.Files);
        var b = file.Cells.Single(c => c.Id == "region=B");
        Assert.True(b.PrimarySuppressed);
        Assert.False(b.SecondarySuppressed);
        Assert.Contains(b.Rules, r => r.Id == "threshold" && r.Numbers["n"] == 3);
        Assert.Equal(CheckStatus.Pass, file.Cells.Single(c => c.Id == "region=A").Status);
        Assert.Single(file.Relations);
        Assert.Equal("cbs-persons", v.Policy.Name);
        var expectedSha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_dir, "persons.csv"))));
        Assert.Equal(expectedSha, v.Microdata.Sha256);
        Assert.Contains(v.Reasons, r => r.Contains("primary suppression"));
    }

    [Fact]
    public async Task Submitted_value_that_differs_is_a_finding()
    {
        var v = await Check("region,value\nA,121\nB,15\nTotal,135\n");
        var a = v.Files[0].Cells.Single(c => c.Id == "region=A");
        Assert.Equal(CheckStatus.Review, a.Status);
        Assert.Equal(1, a.Difference);
        Assert.Contains(a.Rules, r => r.Id == "submitted_differs");
    }

    [Fact]
    public async Task Input_error_fails_the_file_with_a_readable_message()
    {
        var v = await Check("region,value\nA,120\nC,1\n");
        Assert.Equal(CheckStatus.Fail, v.Status);
        Assert.Equal("out.csv:3: category 'C' of 'region' does not exist in the recomputed table", Assert.Single(v.Files[0].Reasons));
    }

    [Fact]
    public async Task Missing_submitted_file_fails_closed()
    {
        var spec = TestData.Spec(TestData.SpecYaml("sum"));
        var v = await DisclosureChecker.CheckAsync(new CheckRequest(Microdata(), [spec], TestData.Policy(), new Dictionary<string, string>()),
            null, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Fail, v.Status);
        Assert.Contains("was not submitted", v.Files[0].Reasons[0]);
    }

    [Fact]
    public async Task No_specs_is_a_fail_not_a_pass()
    {
        var v = await DisclosureChecker.CheckAsync(new CheckRequest(Microdata(), [], TestData.Policy(), new Dictionary<string, string>()),
            null, TestContext.Current.CancellationToken);
        Assert.Equal(CheckStatus.Fail, v.Status);
    }

    [Fact]
    public async Task Forbidden_identifier_column_in_submitted_file_is_refused()
    {
        var v = await Check("region,person_id,value\nA,1,120\n");
        Assert.Contains("identifier column 'person_id'", v.Files[0].Reasons[0]);
    }

    [Fact]
    public async Task Verdict_json_has_schema_version_and_lower_case_statuses()
    {
        var v = await Check("region,value\nA,120\nB,15\nTotal,135\n");
        var json = VerdictJsonContext.Serialize(v);
        Assert.Contains("\"schema_version\": 2", json);
        Assert.Contains("\"status\": \"fail\"", json);
        Assert.Contains("\"primary_suppressed\": true", json);
        var back = VerdictJsonContext.Deserialize(json)!;
        Assert.Equal(v.Files[0].Cells.Count, back.Files[0].Cells.Count);
    }

    [Fact]
    public async Task Progress_reports_bytes_read()
    {
        var data = Microdata();
        var reported = 0L;
        var progress = new SyncProgress(b => reported = b);
        await DisclosureChecker.CheckAsync(new CheckRequest(data, [TestData.Spec(TestData.SpecYaml("sum"))], TestData.Policy(),
            new Dictionary<string, string> { ["out.csv"] = Write("out.csv", "region,value\n") }), progress, TestContext.Current.CancellationToken);
        Assert.Equal(new FileInfo(data).Length, reported);
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
