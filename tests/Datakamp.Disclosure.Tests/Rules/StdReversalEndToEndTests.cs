using System.Globalization;
using System.Text;

namespace Datakamp.Disclosure.Tests.Rules;

/// <summary>
/// The std reversal through the whole checker, under every shipped policy: a std table whose cell is
/// given away by n, mean and std fails and is marked for suppression. Uses only the checker's public surface,
/// so the same test ran (and failed) on the engine before the rule existed.
/// </summary>
public sealed class StdReversalEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dk-std-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("cbs-persons")]
    [InlineData("cbs-businesses")]
    [InlineData("acro-default")]
    public async Task A_std_that_pins_the_largest_income_fails_the_table(string policy)
    {
        // Region A: one income of 1,000,000 and 99 of 20,000 (std 98,000; mean + std * 99 / 10 = 1,000,000).
        // Region B: 100 incomes 1,000, 1,010, ..., 1,990 (std 290.1; bound 1,495 + 2,872 = 4,367, far above 1,990).
        var rows = new StringBuilder("id,region,income\n1,A,1000000\n");
        for (var i = 2; i <= 100; i++) rows.Append(CultureInfo.InvariantCulture, $"{i},A,20000\n");
        for (var i = 0; i < 100; i++) rows.Append(CultureInfo.InvariantCulture, $"{101 + i},B,{1000 + 10 * i}\n");
        var data = Path.Combine(_dir, "persons.csv");
        File.WriteAllText(data, rows.ToString(), new UTF8Encoding(false));
        var spec = TestData.Spec(TestData.SpecYaml("std"));
        var v = await DisclosureChecker.CheckAsync(new CheckRequest(data, [spec], TestData.Policy(policy), new Dictionary<string, string>(),
            RequireSubmittedFiles: false), null, TestContext.Current.CancellationToken);

        var file = Assert.Single(v.Files);
        Assert.Equal(CheckStatus.Fail, file.Status);
        var a = file.Cells.Single(c => c.Id == "region=A");
        Assert.True(a.PrimarySuppressed);
        var rule = Assert.Single(a.Rules, r => r.Id == "std_reversal");
        Assert.Equal(1_000_000, rule.Numbers["bound"]!.Value, 3);
        Assert.Equal(100_000, a.ProtectionUpper!.Value, 3);
        var b = file.Cells.Single(c => c.Id == "region=B");
        Assert.Equal(CheckStatus.Pass, b.Status);
    }
}
