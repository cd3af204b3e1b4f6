using System.Globalization;
using System.Text;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Disclosure.Tests.Verdicts;

/// <summary>Issue 15 item 5 end to end: the table-level count is in the verdict JSON once, and in the file's reasons once.</summary>
public sealed class MissingValuesVerdictTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dk-missing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<VerdictDocument> Check(string csv, string statistic)
    {
        var data = Path.Combine(_dir, "persons.csv");
        File.WriteAllText(data, csv, new UTF8Encoding(false));
        var spec = TestData.Spec(TestData.SpecYaml(statistic, margins: true));
        return await DisclosureChecker.CheckAsync(new CheckRequest(data, [spec], TestData.Policy(), new Dictionary<string, string>(),
            RequireSubmittedFiles: false), null, TestContext.Current.CancellationToken);
    }

    // 100 persons in two regions with spread incomes; person 100 has none.
    private static string HundredPersons() => "id,region,income\n" + string.Concat(Enumerable.Range(1, 100).Select(i =>
        $"{i},{(i <= 50 ? "A" : "B")},{(i == 100 ? "" : (1000 + i * 37 % 101 * 10).ToString(CultureInfo.InvariantCulture))}\n"));

    [Fact]
    public async Task One_unit_of_a_hundred_without_a_value_is_one_line_not_a_review_per_cell()
    {
        var v = await Check(HundredPersons(), "sum");
        var file = Assert.Single(v.Files);
        Assert.DoesNotContain(file.Cells, c => c.Rules.Any(r => r.Id == "missing_values"));
        Assert.Equal(new MissingValuesVerdict(1, 100, 1, 1, "1 of 100 units (1%) without a value in income; it is left out of the statistic."),
            file.MissingValues);
        Assert.Single(file.Reasons, r => r.Contains("without a value", StringComparison.Ordinal));

        var json = VerdictJsonContext.Serialize(v);
        Assert.Contains("\"missing_values\": {", json, StringComparison.Ordinal);
        Assert.Contains("\"units_without_value\": 1,", json, StringComparison.Ordinal);
        Assert.Contains("\"share_percent\": 1,", json, StringComparison.Ordinal);
        Assert.Equal(file.MissingValues, VerdictJsonContext.Deserialize(json)!.Files[0].MissingValues);
    }

    [Fact]
    public async Task A_table_without_units_missing_a_value_reports_zero_and_adds_no_reason()
    {
        var v = await Check(HundredPersons().Replace("100,B,\n", "100,B,5000\n", StringComparison.Ordinal), "mean");
        var file = Assert.Single(v.Files);
        Assert.Equal(0, file.MissingValues!.UnitsWithoutValue);
        Assert.Equal("0 of 100 units (0%) without a value in income.", file.MissingValues.Message);
        Assert.DoesNotContain(file.Reasons, r => r.Contains("without a value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_count_table_has_no_missing_values_entry()
    {
        var data = Path.Combine(_dir, "persons.csv");
        File.WriteAllText(data, HundredPersons(), new UTF8Encoding(false));
        var spec = TestData.Spec(TestData.SpecYaml("count", value: null, margins: true));
        var v = await DisclosureChecker.CheckAsync(new CheckRequest(data, [spec], TestData.Policy(), new Dictionary<string, string>(),
            RequireSubmittedFiles: false), null, TestContext.Current.CancellationToken);
        Assert.Null(Assert.Single(v.Files).MissingValues);
    }
}
