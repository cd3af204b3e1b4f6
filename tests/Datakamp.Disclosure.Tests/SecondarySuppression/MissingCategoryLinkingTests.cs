using System.Globalization;
using System.Text;
using Datakamp.Disclosure.SecondarySuppression;
using Datakamp.Disclosure.Tests.SecondarySuppression;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Issue 15, item 3: some persons have no household type. A one-way table by municipality counts them, a
/// two-way table municipality x household type cannot show them. The three subtraction leaks of the issue,
/// each audited by GLPK over the population structure this test derives from the microdata itself (not
/// from the engine's table builder): per municipality the household types, the persons without one (an
/// unknown to the attacker), the sum over the known types (what the two-way table's margin shows) and
/// the municipality total (what the one-way table shows).
/// </summary>
public sealed class MissingCategoryLinkingTests : IDisposable
{
    private const string Empty = "(empty)", Known = "(known)", All = "(all)";
    private static readonly string[] Municipalities = ["M1", "M2"];
    private static readonly string[] Households = ["couple", "family", "single"];

    private readonly string _dir = Directory.CreateTempSubdirectory("dk-missing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Person(int Id, string Municipality, string Household, double Income);

    // M1: 3 singles (a primary cell: fewer than 10 persons) with 1,000 each, and 2 persons without a
    // household type with 15 each: together 30, a tenth of the single cell's required protection
    // (10% of 3,000). Every other cell holds 20 or more persons.
    private static List<Person> Persons()
    {
        var persons = new List<Person>();
        void Add(string m, string h, int n, Func<int, double> income)
        {
            for (var k = 0; k < n; k++) persons.Add(new Person(persons.Count + 1, m, h, income(k)));
        }
        Add("M1", "single", 3, _ => 1000);
        Add("M1", "couple", 30, k => 2000 + k % 7);
        Add("M1", "family", 25, k => 3000 + k % 5);
        Add("M1", "", 2, _ => 15);
        Add("M2", "single", 20, k => 1000 + k % 3);
        Add("M2", "couple", 40, k => 2000 + k % 7);
        Add("M2", "family", 30, k => 3000 + k % 5);
        return persons;
    }

    private string Microdata()
    {
        var sb = new StringBuilder("id,municipality,household,income\n");
        foreach (var p in Persons())
            sb.Append(CultureInfo.InvariantCulture, $"{p.Id},{p.Municipality},{p.Household},{p.Income}\n");
        var path = Path.Combine(_dir, "persons.csv");
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
        return path;
    }

    private static Datakamp.Disclosure.Specs.TableSpec Spec(string file, string statistic, string? cols, bool margins) =>
        TestData.Spec(TestData.SpecYaml(statistic, "[municipality]", cols, statistic == "count" ? null : "income", margins)
            .Replace("file: out.csv", $"file: {file}", StringComparison.Ordinal));

    private Task<VerdictDocument> Check(params Datakamp.Disclosure.Specs.TableSpec[] specs) =>
        DisclosureChecker.CheckAsync(new CheckRequest(Microdata(), specs, TestData.Policy(), new Dictionary<string, string>(), RequireSubmittedFiles: false),
            null, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Leak1_a_municipality_total_minus_its_published_two_way_row_does_not_narrow_a_suppressed_cell()
    {
        Glpsol.Require();
        var v = await Check(Spec("two_way.csv", "sum", "[household]", margins: false), Spec("one_way.csv", "sum", null, margins: true));
        var single = v.Files[0].Cells.Single(c => c.Id == "municipality=M1|household=single");
        Assert.True(single.PrimarySuppressed);
        Assert.Equal(300, single.ProtectionUpper!.Value, 6);

        // Today: M1 (one-way) - couple - family (two-way) = single + 30: the attacker's upper bound is
        // 3,030, a tenth of the 300 required above 3,000.
        var interval = AttackerInterval(v, "sum", "M1", "single");
        Assert.True(interval.Upper >= 3000 + 300 - 1e-6 && interval.Lower <= 3000 - 300 + 1e-6,
            $"M1 x single (3,000, protection 300) is narrowed to [{interval.Lower}, {interval.Upper}]");
        AssertLinked(v);
    }

    // Today: one-way M1 (60 persons) - two-way M1 x Total (58) = 2 persons, exactly. 2 persons fail the
    // threshold; their frequency protection is max(10% of 2, 1) = 1.
    [Fact]
    public Task Leak2_the_number_of_persons_without_a_household_type_does_not_fall_out_by_subtraction() =>
        AssertPersonsWithoutHouseholdTypeAreProtected("count", value: 2, protection: 1);

    // Today: one-way M1 - two-way M1 x Total = 30, the combined income of the 2 persons, exactly; their
    // frequency protection is max(10% of 30, 1) = 3.
    [Fact]
    public Task Leak3_the_income_of_persons_without_a_household_type_does_not_fall_out_by_subtraction() =>
        AssertPersonsWithoutHouseholdTypeAreProtected("sum", value: 30, protection: 3);

    private async Task AssertPersonsWithoutHouseholdTypeAreProtected(string statistic, double value, double protection)
    {
        Glpsol.Require();
        var v = await Check(Spec("two_way.csv", statistic, "[household]", margins: true), Spec("one_way.csv", statistic, null, margins: true));
        var interval = AttackerInterval(v, statistic, "M1", Empty);
        Assert.True(interval.Lower <= value - protection + 1e-6 && interval.Upper >= value + protection - 1e-6,
            $"the {statistic} of M1's persons without a household type ({value}) is pinned to [{interval.Lower}, {interval.Upper}]");
        AssertLinked(v);
    }

    [Fact]
    public async Task Empty_values_in_two_dimensions_link_three_tables_and_end_protected()
    {
        // Adds persons without a municipality (one of them without a household type either): every table has
        // missing categories, and the groups known in one dimension but empty in the other are protected too.
        var persons = string.Concat(Enumerable.Range(900, 3).Select(id => $"{id},,single,{id}\n")) + "903,,,50\n";
        var path = Microdata();
        File.AppendAllText(path, persons);
        var v = await DisclosureChecker.CheckAsync(new CheckRequest(path,
            [Spec("two_way.csv", "count", "[household]", margins: true), Spec("one_way.csv", "count", null, margins: true),
             TestData.Spec(TestData.SpecYaml("count", "[household]", null, null, margins: true).Replace("file: out.csv", "file: households.csv", StringComparison.Ordinal))],
            TestData.Policy(), new Dictionary<string, string>(), RequireSubmittedFiles: false), null, TestContext.Current.CancellationToken);
        foreach (var f in v.Files)
        {
            Assert.Equal(SuppressionOutcome.Protected, f.Suppression!.Status);
            Assert.Equal(2, f.Suppression.LinkedWith.Count);
        }
        Assert.Contains(v.Files[0].Reasons, r => r.Contains("Rows with an empty municipality or household value are in no cell", StringComparison.Ordinal));
    }

    private static void AssertLinked(VerdictDocument v)
    {
        foreach (var f in v.Files)
        {
            Assert.Equal(SuppressionOutcome.Protected, f.Suppression!.Status);
            Assert.Single(f.Suppression.LinkedWith);
            Assert.DoesNotContain(f.Reasons, r => r.Contains("could not be linked", StringComparison.Ordinal));
        }
    }

    private static string Id(string municipality, string household) => municipality + "|" + household;

    /// <summary>
    /// The attacker's interval for one population cell, by GLPK: every cell of the population structure
    /// (derived here from the persons) is an unknown unless a verdict shows it published.
    /// </summary>
    private static GlpkAudit.AuditInterval AttackerInterval(VerdictDocument v, string statistic, string municipality, string household)
    {
        var persons = Persons();
        double Value(string m, string h)
        {
            var selected = persons.Where(p => (m == All || p.Municipality == m)
                && (h == All || (h == Known ? p.Household != "" : h == Empty ? p.Household == "" : p.Household == h)));
            return statistic == "count" ? selected.Count() : selected.Sum(p => p.Income);
        }

        string[] rows = [.. Municipalities, All];
        string[] cols = [.. Households, Empty, Known, All];
        var cells = new List<SuppressionCell>();
        foreach (var r in rows)
            foreach (var c in cols)
                cells.Add(new SuppressionCell(Id(r, c), Value(r, c)));
        var relations = new List<RelationByCellId>();
        foreach (var r in rows)
        {
            relations.Add(new RelationByCellId(Id(r, Known), Households.Select(h => Id(r, h)).ToList()));
            relations.Add(new RelationByCellId(Id(r, All), [Id(r, Known), Id(r, Empty)]));
        }
        foreach (var c in cols)
            relations.Add(new RelationByCellId(Id(All, c), Municipalities.Select(m => Id(m, c)).ToList()));

        // What the verdicts publish: the two-way table's margin over household is the sum of the known types.
        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in v.Files)
            foreach (var cell in file.Cells.Where(c => !c.PrimarySuppressed && !c.SecondarySuppressed))
            {
                var m = cell.Coordinates["municipality"] == "Total" ? All : cell.Coordinates["municipality"];
                var h = !cell.Coordinates.TryGetValue("household", out var label) ? All : label == "Total" ? Known : label;
                Assert.Equal(Value(m, h), cell.Value!.Value, 6);
                published.Add(Id(m, h));
            }

        var problem = new SuppressionProblem(cells, relations);
        var unknown = cells.Select(c => c.Id).Where(id => !published.Contains(id)).ToList();
        var target = Id(municipality, household);
        if (!unknown.Contains(target)) return new GlpkAudit.AuditInterval(Value(municipality, household), Value(municipality, household), false, false);
        return GlpkAudit.Intervals(problem, unknown, [target])[target];
    }
}
