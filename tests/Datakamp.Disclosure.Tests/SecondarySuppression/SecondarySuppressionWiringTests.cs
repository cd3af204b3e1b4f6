using System.Globalization;
using System.Text;
using Datakamp.Disclosure.SecondarySuppression;
using Datakamp.Disclosure.Tests.SecondarySuppression;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Secondary suppression wired into the checker: the verdict's pattern, read back from the verdict alone,
/// is audited with GLPK over all tables of the request together.
/// </summary>
public sealed class SecondarySuppressionWiringTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dk-secondary-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Persons per (sector, region). Sector A is small everywhere (threshold: fewer than 10 persons), so its
    // cells and its total are primary. Sector C has the smallest total of the others, so the one-way table
    // alone hides A with C; in the two-way table the cheapest way round A's total runs through sector B's
    // small North cell and B's margin. Published side by side, A = Total - B - C.
    private static readonly Dictionary<(string Sector, string Region), int> Counts = new()
    {
        [("A", "North")] = 3, [("A", "South")] = 3, [("A", "East")] = 3,
        [("B", "North")] = 10, [("B", "South")] = 50, [("B", "East")] = 50,
        [("C", "North")] = 40, [("C", "South")] = 30, [("C", "East")] = 35,
    };

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    private string Microdata(string extraRows = "")
    {
        var sb = new StringBuilder("id,sector,region,income\n");
        var id = 0;
        foreach (var ((sector, region), n) in Counts)
            for (var k = 0; k < n; k++)
                sb.Append(CultureInfo.InvariantCulture, $"{++id},{sector},{region},{100 + (id % 7)}\n");
        return Write("persons.csv", sb.Append(extraRows).ToString());
    }

    private static Datakamp.Disclosure.Specs.TableSpec Spec(string file, string statistic, string rows, string? cols, bool margins = true, string? value = null)
    {
        var yaml = TestData.SpecYaml(statistic, rows, cols, value, margins).Replace("file: out.csv", $"file: {file}", StringComparison.Ordinal);
        return TestData.Spec(yaml);
    }

    private static Datakamp.Disclosure.Specs.TableSpec TwoWay(string statistic = "count") => Spec("two_way.csv", statistic, "[sector]", "[region]", value: statistic == "count" ? null : "income");

    private static Datakamp.Disclosure.Specs.TableSpec OneWay(string statistic = "count") => Spec("one_way.csv", statistic, "[sector]", null, value: statistic == "count" ? null : "income");

    private Task<VerdictDocument> Check(string data, params Datakamp.Disclosure.Specs.TableSpec[] specs) =>
        DisclosureChecker.CheckAsync(new CheckRequest(data, specs, TestData.Policy(), new Dictionary<string, string>(), RequireSubmittedFiles: false),
            null, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Linked_sector_tables_are_protected_together_according_to_glpk_while_separate_patterns_leak()
    {
        Glpsol.Require();
        var data = Microdata();
        var linked = await Check(data, TwoWay(), OneWay());

        Assert.Equal(CheckStatus.Fail, linked.Status);
        foreach (var file in linked.Files)
        {
            Assert.Equal(SuppressionOutcome.Protected, file.Suppression!.Status);
            Assert.Single(file.Suppression.LinkedWith);
        }
        Assert.Contains(linked.Files.SelectMany(f => f.Cells), c => c.SecondarySuppressed);
        var audit = AuditTogether(linked.Files);
        Assert.True(audit.Unprotected.Count == 0, "linked pattern leaks: " + string.Join(", ", audit.Unprotected));

        // The same two tables, each checked on its own and published side by side: some primary is recomputable.
        var alone = new[] { (await Check(data, TwoWay())).Files[0], (await Check(data, OneWay())).Files[0] };
        Assert.All(alone, f => Assert.Equal(SuppressionOutcome.Protected, f.Suppression!.Status));
        var separate = AuditTogether(alone);
        Assert.True(separate.Unprotected.Count > 0, "separate patterns: " + string.Join(" / ", alone.Select(f => string.Join(", ", f.Cells.Where(c => c.PrimarySuppressed || c.SecondarySuppressed).Select(c => c.Id + (c.SecondarySuppressed ? "#" : "*"))))));
    }

    [Fact]
    public async Task The_verdict_marks_secondary_cells_and_the_information_loss_and_gives_the_primaries_intervals()
    {
        var v = await Check(Microdata(), OneWay());
        var file = v.Files[0];
        var a = file.Cells.Single(c => c.Id == "sector=A");
        Assert.True(a.PrimarySuppressed);
        Assert.NotNull(a.FeasibleInterval);
        Assert.True(a.FeasibleInterval!.Lower <= 9 - 1 && a.FeasibleInterval.Upper >= 9 + 1);
        var secondary = Assert.Single(file.Cells, c => c.SecondarySuppressed);
        Assert.Equal("sector=C", secondary.Id);          // the cheapest other sector
        Assert.Null(secondary.FeasibleInterval);         // needs no protection of its own
        Assert.Null(file.Cells.Single(c => c.Id == "sector=B").FeasibleInterval);
        var s = file.Suppression!;
        Assert.Equal(SuppressionOutcome.Protected, s.Status);
        Assert.Equal("count", s.Quantity);
        Assert.Equal((1, 1, 105.0, 224.0), (s.PrimaryCells, s.SecondaryCells, s.SecondaryValue, s.TableTotal!.Value));
        Assert.Equal(105.0 / 224, s.SecondaryShare!.Value, 12);
        Assert.Contains(file.Reasons, r => r.Contains("1 more cell must be suppressed", StringComparison.Ordinal));
        Assert.Equal(2, v.SchemaVersion);
        var json = VerdictJsonContext.Serialize(v);
        Assert.Contains("\"secondary_suppressed\": true", json);
        Assert.Contains("\"status\": \"protected\"", json);
        var back = VerdictJsonContext.Deserialize(json)!.Files[0].Suppression!;
        Assert.Equal((s.Status, s.SecondaryCells, s.SecondaryValue), (back.Status, back.SecondaryCells, back.SecondaryValue));
    }

    [Fact]
    public async Task A_mean_table_is_suppressed_through_its_sums_and_a_median_table_is_not_applicable()
    {
        var v = await Check(Microdata(), Spec("mean.csv", "mean", "[sector]", null, value: "income"), Spec("median.csv", "median", "[sector]", null, value: "income"));
        var mean = v.Files[0];
        Assert.Equal(SuppressionOutcome.Protected, mean.Suppression!.Status);
        Assert.Equal("sum of income", mean.Suppression.Quantity);
        Assert.Equal(1, mean.Suppression.SecondaryCells);
        var median = v.Files[1];
        Assert.Equal(SuppressionOutcome.NotApplicable, median.Suppression!.Status);
        Assert.DoesNotContain(median.Cells, c => c.SecondarySuppressed);
        Assert.Contains(median.Reasons, r => r.Contains("no additive structure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tables_of_different_populations_are_not_linked()
    {
        var filtered = TestData.Spec(TestData.SpecYaml("count", "[sector]", null, null, margins: true, filter: "region == \"North\"")
            .Replace("file: out.csv", "file: north.csv", StringComparison.Ordinal));
        var v = await Check(Microdata(), OneWay(), filtered, OneWay("sum"));
        Assert.All(v.Files, f => Assert.Empty(f.Suppression!.LinkedWith));
    }

    [Fact]
    public async Task A_safe_table_needs_no_secondary_suppression_and_still_passes()
    {
        var north = TestData.Spec(TestData.SpecYaml("count", "[sector]", null, null, margins: true, filter: "sector != \"A\"")
            .Replace("file: out.csv", "file: big.csv", StringComparison.Ordinal));
        var v = await Check(Microdata(), north);
        Assert.Equal(CheckStatus.Pass, v.Status);
        Assert.Equal(SuppressionOutcome.NotNeeded, v.Files[0].Suppression!.Status);
    }

    [Fact]
    public async Task Rows_without_a_category_no_longer_keep_tables_from_being_linked()
    {
        // Two persons without a region: in the one-way table, in no cell of the two-way one. They were once a
        // reason to suppress each table alone ("could not be linked"); now they are the two-way table's
        // unpublished missing category, and the two persons, a group that fails the threshold, are protected.
        var v = await Check(Microdata("900,B,,100\n901,B,,100\n"), TwoWay(), OneWay());
        foreach (var f in v.Files)
        {
            Assert.DoesNotContain(f.Reasons, r => r.Contains("could not be linked", StringComparison.Ordinal));
            Assert.Equal(SuppressionOutcome.Protected, f.Suppression!.Status);
            Assert.Single(f.Suppression.LinkedWith);
            Assert.Equal(CheckStatus.Fail, f.Status);   // primary cells in both
        }
        Assert.Contains(v.Files[0].Reasons, r => r.Contains("Rows with an empty region value are in no cell of this table; 2 groups of them fail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rows_without_a_category_that_every_table_leaves_out_change_nothing_in_the_suppression()
    {
        // The same two persons without a region, but only the two-way table: its cells and its margins (the sums
        // over the known regions) all leave them out, so nothing published contains them and nothing can be
        // subtracted to find them. The suppression is the one of the table without those rows.
        var without = (await Check(Microdata(), TwoWay())).Files[0];
        var with = (await Check(Microdata("900,B,,100\n901,B,,100\n"), TwoWay())).Files[0];

        Assert.Equal(SuppressionOutcome.Protected, with.Suppression!.Status);
        Assert.Contains(with.Reasons, r => r.Contains("Rows with an empty region value are in no cell of this table; 2 groups of them fail the rules and need no further protection", StringComparison.Ordinal));
        Assert.Equal(without.Cells.Select(c => (c.Id, c.PrimarySuppressed, c.SecondarySuppressed)), with.Cells.Select(c => (c.Id, c.PrimarySuppressed, c.SecondarySuppressed)));
        Assert.Empty(AuditTogether([with]).Unprotected);
    }

    private sealed record Audit(List<string> Unprotected);

    /// <summary>
    /// Builds the attacker's problem from the verdicts alone (cells by population coordinates, the relations
    /// the verdicts list, a-priori lower bound 0) and asks GLPK for the interval of every primary.
    /// </summary>
    private static Audit AuditTogether(IReadOnlyList<FileVerdict> files)
    {
        static string Key(CellVerdict c)
        {
            var parts = c.Coordinates.Where(kv => kv.Value != "Total").OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value).ToList();
            return parts.Count == 0 ? "(total)" : string.Join(";", parts);
        }

        var cells = new Dictionary<string, SuppressionCell>(StringComparer.Ordinal);
        var suppressed = new HashSet<string>(StringComparer.Ordinal);
        var relations = new List<RelationByCellId>();
        foreach (var file in files)
        {
            var byId = file.Cells.ToDictionary(c => c.Id);
            foreach (var c in file.Cells)
            {
                var key = Key(c);
                var cell = new SuppressionCell(key, c.Value ?? 0);
                if (c.PrimarySuppressed)
                    cell = cell with { IsPrimary = true, LowerProtection = Math.Min(c.ProtectionLower!.Value, c.Value ?? 0), UpperProtection = c.ProtectionUpper!.Value };
                if (cells.TryGetValue(key, out var existing))
                {
                    Assert.Equal(existing.Value, cell.Value);
                    if (existing.IsPrimary) cell = existing;
                }
                cells[key] = cell;
                if (c.PrimarySuppressed || c.SecondarySuppressed) suppressed.Add(key);
            }
            relations.AddRange(file.Relations.Select(r => new RelationByCellId(Key(byId[r.Total]), r.Parts.Select(p => Key(byId[p])).ToList())));
        }

        // A cell suppressed in one table but published in another is published.
        foreach (var file in files)
            foreach (var c in file.Cells.Where(c => !c.PrimarySuppressed && !c.SecondarySuppressed))
                suppressed.Remove(Key(c));

        var problem = new SuppressionProblem(cells.Values, relations);
        var primaries = cells.Values.Where(c => c.IsPrimary).ToList();
        var unprotected = primaries.Where(p => !suppressed.Contains(p.Id)).Select(p => p.Id + " (published)").ToList();
        var intervals = GlpkAudit.Intervals(problem, suppressed, primaries.Where(p => suppressed.Contains(p.Id)).Select(p => p.Id).ToList());
        foreach (var (id, interval) in intervals)
        {
            var p = cells[id];
            var tol = GlpkAudit.Tolerance(problem, problem.IndexOf(id));
            if (interval.Lower > p.Value - p.LowerProtection + tol || interval.Upper < p.Value + p.UpperProtection - tol)
                unprotected.Add($"{id} in [{interval.Lower}, {interval.Upper}]");
        }
        return new Audit(unprotected);
    }

    [Fact]
    public async Task A_person_with_income_in_two_suppressed_cells_is_one_insider_who_knows_both()
    {
        // Sum of income by kind, cbs-persons. Person 7 has income in kind B (300) and kind C (200) and is the only
        // person in each: both fail the threshold rule, protection 10%: 30 and 20. Kind A: three persons (200, 150, 150),
        // 500, fails the threshold rule, protection 50. D: 20 persons, 1,000; E: 12 persons, 400; Total 2,400.
        // An outsider sees A + B + C = 1,000: every primary ranges over [0, 1,000]. Person 7 knows B = 300 and C = 200
        // together, so A = 500 exactly: one more cell must go. E is the cheapest (cost 401): A + E = 900, A ∈ [0, 900]
        // ⊇ [450, 550]. Modelled as two insiders, one per cell, person 7 would leave A ∈ [0, 700] and nothing more
        // would be suppressed.
        var sb = new StringBuilder("id,kind,income\n1,A,200\n2,A,150\n3,A,150\n7,B,300\n7,C,200\n");
        for (var k = 0; k < 20; k++) sb.Append(CultureInfo.InvariantCulture, $"{100 + k},D,50\n");
        for (var k = 0; k < 12; k++) sb.Append(CultureInfo.InvariantCulture, $"{200 + k},E,{(k < 10 ? 30 : 50)}\n");
        var data = Write("persons.csv", sb.ToString());

        var v = await Check(data, Spec("by_kind.csv", "sum", "[kind]", null, value: "income"));

        var file = v.Files[0];
        Assert.Equal(SuppressionOutcome.Protected, file.Suppression!.Status);
        Assert.Equal(["kind=A", "kind=B", "kind=C"], file.Cells.Where(c => c.PrimarySuppressed).Select(c => c.Id).Order(StringComparer.Ordinal));
        Assert.Equal("kind=E", Assert.Single(file.Cells, c => c.SecondarySuppressed).Id);
    }
}

