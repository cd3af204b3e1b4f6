using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>Tables from the same population that share dimensions are suppressed as one cell set.</summary>
public sealed class LinkedTablesTests
{
    private static readonly SpanningVariable Sector = new("sector", ["A", "B", "C"]);
    private static readonly SpanningVariable Region = new("region", ["North", "South"]);
    private static readonly SpanningVariable Size = new("size", ["small", "large"]);

    private static TableBuilder SectorByRegion() => new TableBuilder(Sector, Region)
        .Value(3, "A", "North").Value(40, "A", "South")
        .Value(25, "B", "North").Value(30, "B", "South")
        .Value(50, "C", "North").Value(60, "C", "South")
        .FillMargins();

    [Fact]
    public void SameCoordinatesAreOneCell()
    {
        var oneWay = new TableBuilder(Sector).Value(43, "A").Value(55, "B").Value(110, "C").FillMargins();
        var problem = LinkedTables.Build(oneWay, SectorByRegion());

        // 4 one-way cells are the row margins of the 4 × 3 two-way table: 12 distinct cells, not 16.
        Assert.Equal(12, problem.Cells.Count);
        Assert.Equal(oneWay.CellId("A"), SectorByRegion().CellId("A", "Total"));
        Assert.Equal(CellKey.GrandTotal, oneWay.CellId("Total"));
    }

    [Fact]
    public void A_cell_id_names_its_dimensions_in_name_order_whatever_their_order_in_the_table()
    {
        var sizeBySectorByRegion = new TableBuilder(Size, Sector, Region);
        var regionBySize = new TableBuilder(Region, Size);

        Assert.Equal("region=North;sector=A;size=small", sizeBySectorByRegion.CellId("small", "A", "North"));
        Assert.Equal("region=North;size=small", sizeBySectorByRegion.CellId("small", "Total", "North"));
        Assert.Equal(regionBySize.CellId("North", "small"), sizeBySectorByRegion.CellId("small", "Total", "North"));
        Assert.Equal(CellKey.For([new("size", "small"), new("region", "North")]), regionBySize.CellId("North", "small"));
        Assert.Throws<ArgumentException>(() => regionBySize.CellId("West", "small"));
    }

    [Fact]
    public void DisagreeingValuesAreRejected()
    {
        var oneWay = new TableBuilder(Sector).Value(44, "A").Value(55, "B").Value(110, "C").FillMargins();
        Assert.Throws<ArgumentException>(() => LinkedTables.Build(oneWay, SectorByRegion()));
    }

    [Fact]
    public void OneWayTableDoesNotGiveASuppressedSectorTotalAway()
    {
        // Primary (A, North) = 3 needs ±3. Sector A's row total 43 is cheap relative to the other margins, and
        // the same cell is published in the one-way table: linking guarantees that whatever the pattern, the
        // one-way table's cell A is the very same (possibly suppressed) cell, and its relation
        // A + B + C = Total also binds the attacker. GLPK audits the combined relations.
        var twoWay = SectorByRegion().Primary(3, 3, "A", "North");
        var oneWay = new TableBuilder(Sector).Value(43, "A").Value(55, "B").Value(110, "C").FillMargins();
        var problem = LinkedTables.Build(twoWay, oneWay);

        var result = SecondarySuppressor.Run(problem);

        GlpkAudit.AssertProtected(problem, result);
        if (result.SuppressedIds.Contains(oneWay.CellId("A")))
        {
            // Then the one-way table must have another suppressed cell, or A = Total - B - C.
            Assert.Contains(new[] { "B", "C", "Total" }, c => result.SuppressedIds.Contains(oneWay.CellId(c)));
        }
    }

    [Fact]
    public void SeparatelySuppressedTablesCanLeakWhileLinkedSuppressionDoesNot()
    {
        // Forced scenario: in the sector × region table the sector totals are cheap (cost override), so the
        // pattern for (A, North) runs through the margin (A, Total). Suppressed alone, that table is safe. But the
        // one-way table publishes A = 43 — the same cell — so publishing both patterns side by side exposes it.
        var twoWay = SectorByRegion().Primary(3, 3, "A", "North");
        foreach (var s in new[] { "A", "B", "C" })
        {
            twoWay.Cost(0.01, s, "Total");
        }

        var alone = twoWay.Build();
        var aloneResult = SecondarySuppressor.Run(alone);
        Assert.True(aloneResult.IsProtected);
        Assert.Contains(twoWay.CellId("A", "Total"), aloneResult.SuppressedIds);

        // Naive publication: the one-way table (no primaries of its own) is published in full next to the
        // two-way pattern. Its cells are the two-way sector margins, so those are published after all.
        var oneWay = new TableBuilder(Sector).Value(43, "A").Value(55, "B").Value(110, "C").FillMargins();
        var linked = LinkedTables.Build(twoWay, oneWay);
        var oneWayIds = new[] { "A", "B", "C", "Total" }.Select(c => oneWay.CellId(c)).ToHashSet();
        var naive = aloneResult.SuppressedIds.Where(id => !oneWayIds.Contains(id)).Select(linked.IndexOf).ToHashSet();
        Assert.False(AttackerModel.AllPrimariesProtected(linked, naive), string.Join(", ", aloneResult.SuppressedIds));

        // Suppressing the linked problem fixes it (the one-way table then hides A plus a complement).
        var linkedResult = SecondarySuppressor.Run(linked);
        GlpkAudit.AssertProtected(linked, linkedResult);
    }

    [Fact]
    public void TwoTablesSharingOnlySectorAreLinkedThroughTheSectorMargins()
    {
        var byRegion = SectorByRegion().Primary(3, 3, "A", "North");
        var bySize = new TableBuilder(Sector, Size)
            .Value(1, "A", "small").Value(42, "A", "large")
            .Value(20, "B", "small").Value(35, "B", "large")
            .Value(70, "C", "small").Value(40, "C", "large")
            .FillMargins()
            .Primary(1, 2, "A", "small");
        var problem = LinkedTables.Build(byRegion, bySize);
        Assert.Equal(12 + 12 - 4, problem.Cells.Count);

        var result = SecondarySuppressor.Run(problem);

        GlpkAudit.AssertProtected(problem, result);
    }
}
