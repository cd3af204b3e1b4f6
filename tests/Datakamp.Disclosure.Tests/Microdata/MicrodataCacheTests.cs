using System.Globalization;
using System.Text;
using System.Text.Json;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Tests.TestData;

namespace Datakamp.Disclosure.Tests.Microdata;

/// <summary>
/// The columnar cache must give exactly what the CSV gives (tables, cells, errors with file:line), and
/// must never be used for a CSV other than the one it was built from, nor when it is truncated or damaged.
/// </summary>
public sealed class MicrodataCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dkcache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Units on several rows, empty categories and values, a quoted newline and a blank line (so lines are not row + 2),
    // a weight, and texts a number would not give back ("007", "1.50").
    private const string Persons = """
        id,region,kind,income,w,code
        1,A,x,10,2,007
        1,A,y,5,2,007
        2,B,"two
        lines",7,1,1.50
        3,,x,,1,8

        4,B,,12.5,3,9
        5,A,x,-3,1,
        6,C,y,40,1,9
        7,C,x,,2,8
        8,A,y,1e3,1,7
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n", new UTF8Encoding(false));
        return path;
    }

    private static readonly string[] Specs =
    [
        SpecYaml("count", value: null, cols: "[kind]", margins: true),
        SpecYaml("sum", cols: "[kind]", margins: true),
        SpecYaml("mean", margins: true),
        SpecYaml("sum", weight: "w", margins: true),
        SpecYaml("count", rows: "[code]", value: null),
        SpecYaml("sum", filter: "region == \"A\" or income > 6"),
        SpecYaml("count", value: null, filter: "code != \"007\""),
    ];

    private static MicrodataPass FromCsv(string csvPath, IReadOnlyList<TableSpec> specs)
    {
        using var s = File.OpenRead(csvPath);
        return TableRecomputer.RecomputeAll(s, "data.csv", specs, Policy(), cancellationToken: TestContext.Current.CancellationToken);
    }

    private static MicrodataPass? FromCache(string csvPath, IReadOnlyList<TableSpec> specs, string? cachePath = null) =>
        CachedRecomputation.TryRecompute(csvPath, cachePath ?? MicrodataCacheLocation.For(csvPath), "data.csv", specs, Policy(), ',',
            null, TestContext.Current.CancellationToken);

    // Everything a verdict is made of: categories, every cell's evidence, row counts, or the error message.
    private static string Describe(MicrodataPass pass) => JsonSerializer.Serialize(pass.Tables.Select(o => o.Table is { } t
        ? (object)new
        {
            Dimensions = t.Dimensions.Select(d => d.Categories).ToArray(),
            Cells = t.Cells.Select(c => JsonSerializer.Serialize(c.Evidence)).ToArray(),
            t.RowsRead, t.RowsUsed, t.RowsWithMissingCategory,
            Linked = t.WithMissingCategory?.Cells.Select(c => JsonSerializer.Serialize(c.Evidence)).ToArray(),
        }
        : o.Error!.Message).ToArray()) + pass.Sha256 + pass.Bytes;

    [Fact]
    public void Tables_from_the_cache_equal_the_tables_from_the_csv()
    {
        var csv = Write("persons.csv", Persons);
        var specs = Specs.Select(Spec).ToList();
        var expected = Describe(FromCsv(csv, specs));
        Assert.DoesNotContain("Error", expected);

        var built = FromCache(csv, specs);     // builds the cache, then reads it
        Assert.True(File.Exists(MicrodataCacheLocation.For(csv)));
        var warm = FromCache(csv, specs);      // reads the existing cache
        Assert.Equal(expected, Describe(built!));
        Assert.Equal(expected, Describe(warm!));
    }

    [Fact]
    public void A_column_of_many_distinct_numbers_is_kept_as_doubles_and_reads_the_same()
    {
        var sb = new StringBuilder("id,region,income\n");
        for (var i = 0; i < MicrodataCacheWriter.MaxDictionary + 20_000; i++)
            sb.Append(CultureInfo.InvariantCulture, $"u{i % 40000},{(char)('A' + i % 3)},{(i % 11 == 0 ? "" : (i * 0.37).ToString("R", CultureInfo.InvariantCulture))}\n");
        var csv = Write("many.csv", sb.ToString());
        var specs = new[] { SpecYaml("sum", margins: true), SpecYaml("max", filter: "income >= 100.5") }.Select(Spec).ToList();
        var expected = Describe(FromCsv(csv, specs));
        Assert.Equal(expected, Describe(FromCache(csv, specs)!));
        var cache = MicrodataCache.Open(MicrodataCacheLocation.For(csv), FromCsv(csv, specs).Sha256!, new FileInfo(csv).Length, ',')!;
        Assert.True(cache.TryLoad([2]));
        Assert.NotNull(cache.Column(2).Numbers);
    }

    // Tables without a filter, which the columnar path aggregates straight from the cache's codes.
    private static readonly string[] Unfiltered =
    [
        .. Specs.Where(s => !s.Contains("filter:", StringComparison.Ordinal)),
        SpecYaml("median", cols: "[kind]", margins: true),
        SpecYaml("std", margins: true),
        SpecYaml("max", rows: "[kind]", cols: "[region]"),
        SpecYaml("count", value: null, weight: "w"),
    ];

    private static TableOutcome[]? Columnar(string csvPath, IReadOnlyList<TableSpec> specs)
    {
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(csvPath)));
        var cachePath = MicrodataCacheLocation.For(csvPath);
        if (!File.Exists(cachePath)) MicrodataCacheWriter.TryWrite(csvPath, ',', cachePath);
        var cache = MicrodataCache.Open(cachePath, sha, new FileInfo(csvPath).Length, ',')!;
        return ColumnarAggregation.TryRecompute(cache, "data.csv", specs, Policy(), TestContext.Current.CancellationToken);
    }

    // The columnar path must take these tables (not leave them to the row-by-row path) and give the CSV's tables.
    private static void AssertColumnarGivesTheCsvTables(string csv, IReadOnlyList<TableSpec> specs)
    {
        var fromCsv = FromCsv(csv, specs);
        var expected = Describe(fromCsv);
        Assert.DoesNotContain("Error", expected);
        var tables = Columnar(csv, specs);
        Assert.NotNull(tables);
        Assert.Equal(expected, Describe(fromCsv with { Tables = tables }));
        Assert.Equal(expected, Describe(FromCache(csv, specs)!));
    }

    [Fact]
    public void The_columnar_path_gives_the_tables_of_the_csv()
    {
        var csv = Write("persons.csv", Persons);
        var specs = Unfiltered.Select(Spec).ToList();
        AssertColumnarGivesTheCsvTables(csv, specs);
    }

    [Fact]
    public void The_columnar_path_reads_wide_codes_numbers_and_rows_that_are_units_the_same()
    {
        // 70,000 persons: unit ids that are row numbers, 300 regions (two-byte codes), 69,000 households
        // (four-byte codes, two persons in some), an income kept as doubles, empty incomes and negative ones.
        var sb = new StringBuilder("id,region,household,income,w\n");
        for (var i = 0; i < 70_000; i++)
            sb.Append(CultureInfo.InvariantCulture, $"P{i:D7},R{i * 7 % 300},H{i % 69_000},{(i % 13 == 0 ? "" : ((i % 17 - 3) * 1.25 + i).ToString("R", CultureInfo.InvariantCulture))},{1 + i % 3}\n");
        var csv = Write("wide.csv", sb.ToString());
        var specs = new[]
        {
            SpecYaml("sum", margins: true),
            SpecYaml("sum", margins: true).Replace("unit: id", "unit: household", StringComparison.Ordinal),
            SpecYaml("p75"),
            SpecYaml("mean", weight: "w", margins: true),
            SpecYaml("count", value: null, weight: "w").Replace("unit: id", "unit: household", StringComparison.Ordinal),
        }.Select(Spec).ToList();
        AssertColumnarGivesTheCsvTables(csv, specs);
    }

    [Theory]
    [InlineData("\n9,A,x,lots,1,7", "sum")]            // a value that is not a number
    [InlineData("\n1,A,x,3,5,7", "sum")]               // unit 1 with another weight
    [InlineData("\n,A,x,3,1,7", "sum")]                // an empty unit id
    [InlineData("\n9,Total,x,3,1,7", "sum")]           // a category the margins reserve
    [InlineData("\n9,A,x,3,,7", "count")]              // an empty weight
    [InlineData("\n9,A,x,3,-1,7", "count")]            // a negative weight
    public void A_table_whose_rows_have_an_error_is_left_to_the_row_by_row_path_which_reports_it(string extra, string statistic)
    {
        var csv = Write("error.csv", Persons + extra);
        var specs = new[] { Spec(SpecYaml(statistic, value: statistic == "count" ? null : "income", weight: "w", margins: true)) };
        var fromCsv = FromCsv(csv, specs);
        Assert.NotNull(fromCsv.Tables[0].Error);
        Assert.Null(Columnar(csv, specs));
        Assert.Equal(Describe(fromCsv), Describe(FromCache(csv, specs)!));
    }

    [Fact]
    public void A_value_that_is_not_a_number_gives_the_same_error_with_file_and_line()
    {
        var csv = Write("bad.csv", Persons + "\n9,A,x,lots,1,7");
        var specs = new[] { SpecYaml("sum"), SpecYaml("count", value: null, filter: "income > 3"), SpecYaml("count", value: null) }.Select(Spec).ToList();
        var fromCsv = FromCsv(csv, specs);
        Assert.Equal("data.csv:13: column 'income' has 'lots', which is not a number", fromCsv.Tables[0].Error!.Message);
        Assert.StartsWith("data.csv:13: column 'income' has 'lots', which is not a number, but the filter", fromCsv.Tables[1].Error!.Message);
        Assert.Equal(Describe(fromCsv), Describe(FromCache(csv, specs)!));
    }

    [Fact]
    public void A_cache_of_a_csv_that_changed_since_is_not_used()
    {
        var csv = Write("persons.csv", Persons);
        var specs = Specs.Select(Spec).ToList();
        var oldSha = FromCache(csv, specs)!.Sha256!;
        var cachePath = MicrodataCacheLocation.For(csv);
        var oldCache = File.ReadAllBytes(cachePath);

        // Same length, one income changed: only the SHA-256 tells the two files apart.
        Write("persons.csv", Persons.Replace("6,C,y,40", "6,C,y,41"));
        var sha = FromCsv(csv, specs).Sha256!;
        Assert.NotEqual(oldSha, sha);
        Assert.Null(MicrodataCache.Open(cachePath, sha, new FileInfo(csv).Length, ','));

        // A check with the cache rebuilds it and gives the new file's tables.
        Assert.Equal(Describe(FromCsv(csv, specs)), Describe(FromCache(csv, specs)!));
        Assert.NotEqual(oldCache, File.ReadAllBytes(cachePath));
        // A cache made with another delimiter is not used either.
        Assert.Null(MicrodataCache.Open(cachePath, sha, new FileInfo(csv).Length, ';'));
    }

    [Fact]
    public void A_truncated_damaged_or_unknown_cache_is_not_used()
    {
        var csv = Write("persons.csv", Persons);
        var specs = Specs.Select(Spec).ToList();
        var expected = Describe(FromCsv(csv, specs));
        var sha = FromCsv(csv, specs).Sha256!;
        var length = new FileInfo(csv).Length;
        var cachePath = MicrodataCacheLocation.For(csv);
        FromCache(csv, specs);
        var good = File.ReadAllBytes(cachePath);
        var all = Enumerable.Range(0, 6).ToArray();
        Assert.True(MicrodataCache.Open(cachePath, sha, length, ',')!.TryLoad(all));

        // Truncated: refused when opened.
        File.WriteAllBytes(cachePath, good[..^10]);
        Assert.Null(MicrodataCache.Open(cachePath, sha, length, ','));
        Assert.Equal(expected, Describe(FromCache(csv, specs)!));   // rebuilt
        Assert.Equal(good, File.ReadAllBytes(cachePath));

        // One byte changed in the last column's data: its section's SHA-256 refuses it, and the check reads the CSV.
        var damaged = (byte[])good.Clone();
        damaged[^20] ^= 1;
        File.WriteAllBytes(cachePath, damaged);
        Assert.False(MicrodataCache.Open(cachePath, sha, length, ',')!.TryLoad(all));
        var pass = FromCache(csv, [Spec(SpecYaml("count", rows: "[code]", value: null))]);
        Assert.Null(pass);

        // An unknown format version: refused, then rebuilt.
        var future = (byte[])good.Clone();
        future[8] = 99;
        File.WriteAllBytes(cachePath, future);
        Assert.Null(MicrodataCache.Open(cachePath, sha, length, ','));
        Assert.Equal(expected, Describe(FromCache(csv, specs)!));
    }

    [Fact]
    public async Task A_check_with_the_cache_gives_the_verdict_of_the_check_without_it()
    {
        var csv = Write("persons.csv", Persons);
        var specs = Specs.Select(Spec).ToList();
        CheckRequest Request(string? cache) => new(csv, specs, Policy(), new Dictionary<string, string>(), RequireSubmittedFiles: false, MicrodataCachePath: cache);
        var ct = TestContext.Current.CancellationToken;
        var without = await DisclosureChecker.CheckAsync(Request(null), cancellationToken: ct);
        var cachePath = MicrodataCacheLocation.For(csv, _dir);
        var first = await DisclosureChecker.CheckAsync(Request(cachePath), cancellationToken: ct);
        var warm = await DisclosureChecker.CheckAsync(Request(cachePath), cancellationToken: ct);
        Assert.True(File.Exists(cachePath));
        // Everything but the solver's time and where the rows were read from, which says so.
        static string Show(Datakamp.Disclosure.Verdicts.VerdictDocument v) =>
            System.Text.RegularExpressions.Regex.Replace(JsonSerializer.Serialize(v with { Microdata = v.Microdata with { ReadFrom = null } }),
                "\"SolveSeconds\":[^,}]*", "");
        Assert.Equal(("csv", "cache", "cache"), (without.Microdata.ReadFrom, first.Microdata.ReadFrom, warm.Microdata.ReadFrom));
        Assert.Equal(Show(without), Show(first));
        Assert.Equal(Show(without), Show(warm));
    }

    [Fact]
    public async Task A_csv_the_reader_refuses_gets_no_cache_and_the_same_error()
    {
        var csv = Write("broken.csv", Persons + "\n9,A,x\"y,3,1,7");
        var specs = new[] { Spec(SpecYaml("sum")) };
        Assert.Null(MicrodataCacheWriter.TryWrite(csv, ',', MicrodataCacheLocation.For(csv)));
        Assert.False(File.Exists(MicrodataCacheLocation.For(csv)));
        var ct = TestContext.Current.CancellationToken;
        var without = await DisclosureChecker.CheckAsync(new CheckRequest(csv, specs, Policy(), new Dictionary<string, string>(), RequireSubmittedFiles: false), cancellationToken: ct);
        var with = await DisclosureChecker.CheckAsync(new CheckRequest(csv, specs, Policy(), new Dictionary<string, string>(), RequireSubmittedFiles: false,
            MicrodataCachePath: MicrodataCacheLocation.For(csv)), cancellationToken: ct);
        Assert.Equal(JsonSerializer.Serialize(without), JsonSerializer.Serialize(with));
        Assert.Contains("broken.csv:13", without.Reasons.Single(r => r.Contains("broken", StringComparison.Ordinal)));
    }
}
