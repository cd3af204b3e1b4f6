using System.Text;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Tables;

/// <summary>The parallel pass must give exactly what a row-by-row reading gives, across chunk boundaries too.</summary>
public class StreamingPassTests
{
    // Several chunks (512 KiB each) with quoted fields holding newlines and delimiters, and units in several cells.
    private static string ManyRows(int rows, out Dictionary<string, (int Units, double Sum)> expected)
    {
        var sb = new StringBuilder("id,region,note,income\n");
        var perUnit = new Dictionary<(int Id, string Region), double>();
        for (var i = 0; i < rows; i++)
        {
            var id = i % (rows / 3);                       // every unit has three rows...
            var region = (i / (rows / 3)) % 2 == 0 ? "A" : "B"; // ...in one or two regions
            var note = i % 7 == 0 ? "\"line one\nline \"\"two\"\", x\"" : "plain";
            sb.Append($"u{id},{region},{note},{i % 100}\n");
            perUnit[(id, region)] = perUnit.GetValueOrDefault((id, region)) + i % 100;
        }
        expected = perUnit.GroupBy(kv => kv.Key.Region)
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(kv => kv.Value)));
        var total = perUnit.GroupBy(kv => kv.Key.Id).Select(g => g.Sum(kv => kv.Value)).ToList();
        expected["Total"] = (total.Count, total.Sum());
        return sb.ToString();
    }

    [Fact]
    public void Chunks_split_inside_quoted_fields_give_the_same_table_and_line_numbers()
    {
        var csv = ManyRows(90_000, out var expected);
        Assert.True(csv.Length > 3 * MicrodataChunkReader.ChunkSize);
        var t = TableRecomputer.Recompute(Utf8(csv), "data.csv", Spec(SpecYaml("sum", margins: true)), Policy(), cancellationToken: TestContext.Current.CancellationToken);
        foreach (var (region, (units, sum)) in expected)
        {
            var e = t.Cells.Single(c => t.Labels(c)[0] == region).Evidence;
            Assert.Equal((units, sum), (e.Units, e.Value!.Value));
        }
        Assert.Equal(90_000, t.RowsRead);

        // An error far into the file is reported with its physical line (quoted newlines counted).
        var broken = csv + "u1,A,plain,not-a-number\n";
        var lines = broken.Count(c => c == '\n');
        var error = Assert.Throws<DisclosureInputException>(() => TableRecomputer.Recompute(Utf8(broken), "data.csv", Spec(SpecYaml("sum")), Policy(), cancellationToken: TestContext.Current.CancellationToken));
        Assert.StartsWith($"data.csv:{lines}: column 'income' has 'not-a-number'", error.Message);
    }

    [Fact]
    public void One_pass_checks_several_tables_and_an_error_in_one_leaves_the_others()
    {
        var csv = "id,region,kind,income\n1,A,x,10\n1,A,y,5\n2,B,x,oops\n3,B,y,7\n";
        var good = Spec(SpecYaml("count", value: null, cols: "[kind]", margins: true));
        var bad = Spec(SpecYaml("sum"));
        var pass = TableRecomputer.RecomputeAll(Utf8(csv), "data.csv", [good, bad], Policy(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotNull(pass.Tables[0].Table);
        Assert.Equal(3, pass.Tables[0].Table!.Cells.Single(c => c.IsMargin && c.Coordinates.All(x => x == TableCell.Total)).Evidence.Units);
        Assert.Equal("data.csv:4: column 'income' has 'oops', which is not a number", pass.Tables[1].Error!.Message);
        Assert.NotNull(pass.Sha256);
    }

    [Fact]
    public void A_unit_in_several_cells_is_one_contributor_of_its_summed_parts_in_every_margin()
    {
        // unit 1 in (A,x), (A,y) and (B,x); unit 2 only in (B,y).
        var csv = "id,region,kind,income\n1,A,x,1\n1,A,y,2\n1,B,x,4\n2,B,y,8\n";
        var t = TableRecomputer.Recompute(Utf8(csv), "data.csv", Spec(SpecYaml("sum", cols: "[kind]", margins: true)), Policy(), cancellationToken: TestContext.Current.CancellationToken);
        var a = t.Cells.Single(c => t.CellId(c) == "region=A|kind=Total").Evidence;
        Assert.Equal((1, 3.0), (a.Units, a.Value!.Value));
        var x = t.Cells.Single(c => t.CellId(c) == "region=Total|kind=x").Evidence;
        Assert.Equal((1, 5.0), (x.Units, x.Value!.Value));
        var all = t.Cells.Single(c => t.CellId(c) == "region=Total|kind=Total").Evidence;
        Assert.Equal((2, 15.0, 2), (all.Units, all.Value!.Value, all.TopContributions.Count));
        Assert.Equal([8.0, 7.0], all.TopContributions);
    }

    [Theory]
    [InlineData("P00000001")]
    [InlineData("123")]
    [InlineData("0123")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("é1")]
    [InlineData("999999999999999")]
    public void Packed_unit_keys_round_trip(string id)
    {
        Assert.True(UnitKey.TryPack(Encoding.UTF8.GetBytes(id), out var key));
        Assert.Equal(id, UnitKey.Unpack(key));
    }

    [Fact]
    public void Different_ids_never_share_a_unit()
    {
        var registry = new UnitRegistry();
        string[] ids = ["1", "01", "001", "P1", "P01", "p1", "-1", "1-", "abcdefgh-long-id", "abcdefgh-long-iD", "1234567890123456789"];
        var codes = ids.Select(i => Code(registry, i)).ToArray();
        Assert.Equal(ids.Length, codes.Distinct().Count());
        Assert.Equal(codes, ids.Select(i => Code(registry, i)).ToArray());
        Assert.Equal(ids, codes.Select(registry.Describe).ToArray());
    }

    private static int Code(UnitRegistry registry, string id)
    {
        var bytes = Encoding.UTF8.GetBytes(id);
        return UnitKey.TryPack(bytes, out var key) ? registry.GetOrAdd(key) : registry.GetOrAdd(bytes);
    }

    [Fact]
    public void The_registry_keeps_every_unit_of_a_large_file_apart()
    {
        var registry = new UnitRegistry();
        for (var i = 0; i < 300_000; i++) Assert.Equal(i, Code(registry, $"P{i:D8}"));
        for (var i = 0; i < 300_000; i += 997) Assert.Equal(i, Code(registry, $"P{i:D8}"));
        Assert.Equal(300_000, registry.Count);
    }
}
