using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>A dimension where some units have no value: an unpublished missing category and a known subtotal keep the structure additive.</summary>
public sealed class MissingCategoryStructureTests
{
    private static readonly SpanningVariable Municipality = new("municipality", ["M1", "M2"]);
    private static readonly SpanningVariable Household = new("household", ["couple", "single"], "Total", "%Empty", "%Known");

    // Persons: M1 couple 30, single 3, without a household type 2; M2 couple 40, single 20, none without.
    private static TableBuilder TwoWay() => new TableBuilder(Municipality, Household)
        .Value(30, "M1", "couple").Value(3, "M1", "single").Value(2, "M1", "%Empty")
        .Value(40, "M2", "couple").Value(20, "M2", "single").Value(0, "M2", "%Empty")
        .FillMargins();

    [Fact]
    public void Total_is_known_plus_missing_and_known_is_the_sum_of_the_categories()
    {
        var twoWay = TwoWay();
        var problem = twoWay.Build();   // validates that every relation holds
        Assert.Equal(3 * 5, problem.Cells.Count);   // (M1, M2, Total) x (couple, single, missing, known, total)
        Assert.Equal(33, problem.Cells[problem.IndexOf(twoWay.CellId("M1", "%Known"))].Value);
        Assert.Equal(35, problem.Cells[problem.IndexOf(twoWay.CellId("M1", "Total"))].Value);
        Assert.Equal("municipality=M1", twoWay.CellId("M1", "Total"));
        var relations = problem.Relations.Select(r => (Total: problem.Cells[r.Total].Id, Parts: r.Parts.Select(p => problem.Cells[p].Id).Order(StringComparer.Ordinal).ToList())).ToList();
        Assert.Contains(relations, r => r.Total == "municipality=M1" && r.Parts.SequenceEqual(["household=%Empty;municipality=M1", "household=%Known;municipality=M1"]));
        Assert.Contains(relations, r => r.Total == "household=%Known;municipality=M1" && r.Parts.Count == 2);
        Assert.Contains(relations, r => r.Total == "household=%Empty" && r.Parts.Count == 2);
    }

    [Fact]
    public void A_one_way_table_that_counts_everyone_links_to_the_population_total_not_to_the_known_subtotal()
    {
        var oneWay = new TableBuilder(Municipality).Value(35, "M1").Value(60, "M2").FillMargins();
        var problem = LinkedTables.Build(TwoWay(), oneWay);
        Assert.Equal(15, problem.Cells.Count);   // the one-way cells are the two-way table's totals over all persons

        // A table that lists the household types without the missing category cannot be linked with one that has it.
        var withoutMissing = new TableBuilder(new SpanningVariable("household", ["couple", "single"])).Value(70, "couple").Value(23, "single").FillMargins();
        Assert.Throws<ArgumentException>(() => LinkedTables.Build(TwoWay(), withoutMissing));
    }

    [Fact]
    public void Labels_must_differ()
    {
        Assert.Throws<ArgumentException>(() => new SpanningVariable("h", ["a"], "Total", "%Empty", null));
        Assert.Throws<ArgumentException>(() => new SpanningVariable("h", ["a"], "Total", "a", "%Known"));
        Assert.Throws<ArgumentException>(() => new SpanningVariable("h", ["a"], "Total", "%Empty", "Total"));
    }
}
