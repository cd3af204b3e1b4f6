using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>Small tables whose correct answer is worked out by hand; every protected result is also audited with GLPK.</summary>
public sealed class HandComputedTests
{
    private static readonly SpanningVariable Rows2 = new("row", ["r1", "r2"]);
    private static readonly SpanningVariable Cols2 = new("col", ["c1", "c2"]);

    [Fact]
    public void TwoByTwoWithOnePrimaryNeedsExactlyThreeSecondaries()
    {
        // Inner cells        c1  c2 | Total
        //               r1   20  30 |  50
        //               r2   25  35 |  60
        //            Total   45  65 | 110
        // Primary (r1,c1) with protection 5 up and down.
        // By hand: row r1 and column c1 each contain the primary, so each needs a second suppressed cell
        // (else the primary is the single unknown of that relation and equals total minus the rest).
        // Suppressing (r1,c2) makes row r1 safe but leaves (r1,c2) alone in column c2 (recomputable, and it
        // would give the primary away), so column c2 needs a second suppressed cell; likewise (r2,c1) needs
        // row r2 closed. The cheapest closed path is the 4-cycle (r1,c1)-(r1,c2)-(r2,c2)-(r2,c1): 3 secondaries,
        // each an inner cell. Any path through a margin instead uses a margin cell (≥ 45) and still needs three
        // more cells, so it is dearer. Moving +5/-5 around the cycle keeps every margin: the primary's interval
        // is [20 - 20, 20 + 25] = [0, 45] (bounded by (r1,c1) ≥ 0 and (r2,c1) = 45 - x ≥ 0 ... see asserts).
        var t = new TableBuilder(Rows2, Cols2)
            .Value(20, "r1", "c1").Value(30, "r1", "c2")
            .Value(25, "r2", "c1").Value(35, "r2", "c2")
            .FillMargins()
            .Primary(5, 5, "r1", "c1");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.Protected, result.Status);
        Assert.Equal(3, result.SecondaryCount);
        Assert.Equal(
            new[] { t.CellId("r1", "c2"), t.CellId("r2", "c1"), t.CellId("r2", "c2") }.Order(),
            result.SecondaryIds.Order());
        Assert.Equal(30 + 25 + 35, result.SecondaryValueSum, 9);
        Assert.Equal(93, result.SecondaryCostSum, 9); // default cost = value + 1 per cell

        // x = (r1,c1) free in the cycle: (r1,c2) = 50 - x ≥ 0, (r2,c1) = 45 - x ≥ 0, (r2,c2) = 15 + x ≥ 0.
        // So x ∈ [0, 45].
        var primary = result.Cells.Single(c => c.Kind == SuppressionKind.Primary);
        Assert.Equal(0, primary.Interval!.Lower, 9);
        Assert.Equal(45, primary.Interval.Upper, 9);
        GlpkAudit.AssertProtected(problem, result);
    }

    [Fact]
    public void OneDimensionalPrimaryNeedsOneComplementTheCheapestThatCanAbsorbTheProtection()
    {
        // A=2 (primary, needs ±4), B=3, C=9, D=40, Total=54.
        // One complement suffices: with A and X suppressed, A + X = 54 - rest, and X ≥ 0 gives A ∈ [0, A + X].
        // Upward protection needs A + X ≥ 6, i.e. X ≥ 4: B=3 is too small, so the cheapest able cell is C=9.
        // Downward: A can go to 0 ≤ 2 - 4? No: 0 > -2, so lower protection 4 is impossible with bound 0 ...
        // hence the primary here has lower protection 2 (reach 0) and upper 4.
        var dim = new SpanningVariable("kind", ["A", "B", "C", "D"]);
        var t = new TableBuilder(dim)
            .Value(2, "A").Value(3, "B").Value(9, "C").Value(40, "D")
            .FillMargins()
            .Primary(2, 4, "A");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.Protected, result.Status);
        Assert.Equal([t.CellId("C")], result.SecondaryIds);
        var a = result.Cells.Single(c => c.Id == t.CellId("A"));
        Assert.Equal(0, a.Interval!.Lower, 9);
        Assert.Equal(11, a.Interval.Upper, 9);
        GlpkAudit.AssertProtected(problem, result);
    }

    [Fact]
    public void ProtectionBeyondTheAPrioriBoundIsReportedAsImpossible()
    {
        // A = 3 must be protected down to 3 - 5 = -2, but every attacker knows A ≥ 0. No pattern helps.
        var dim = new SpanningVariable("kind", ["A", "B", "C"]);
        var t = new TableBuilder(dim).Value(3, "A").Value(10, "B").Value(20, "C").FillMargins().Primary(5, 5, "A");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.CannotBeProtected, result.Status);
        Assert.False(result.IsProtected);
        Assert.Contains(t.CellId("A"), result.UnprotectedCellIds);
        Assert.Contains("NOT PROTECTED", result.Message, StringComparison.Ordinal);

        // GLPK agrees the minimum is 0 > -2.
        var audit = GlpkAudit.AssertIntervalsAgree(problem, result);
        Assert.Equal(0, audit[t.CellId("A")].Lower, 6);
    }

    [Fact]
    public void TotalThatMustStayPublishedWithTooSmallPartnerIsImpossible()
    {
        // Total 11 is already published elsewhere (must stay published). A = 10 needs +2: A + B = 11 with
        // B ≥ 0 caps A at 11 < 12. Suppressing everything allowed does not help: fail closed.
        var dim = new SpanningVariable("kind", ["A", "B"]);
        var t = new TableBuilder(dim).Value(10, "A").Value(1, "B").FillMargins().Primary(2, 2, "A").MustPublish("Total");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.CannotBeProtected, result.Status);
        Assert.Equal([t.CellId("A")], result.UnprotectedCellIds);
        Assert.DoesNotContain(t.CellId("Total"), result.SuppressedIds);
        var audit = GlpkAudit.AssertIntervalsAgree(problem, result);
        Assert.Equal(11, audit[t.CellId("A")].Upper, 6);
    }

    [Fact]
    public void NegativeValuesWithUnboundedAPrioriBoundsCanUseSmallCells()
    {
        // Profits: A = -5 (primary, ±2), B = 1, C = 10, Total = 6. Attackers know nothing a priori (bounds ±∞).
        // B can then move by 2 in either direction, so B (cost 2) is the cheapest complement.
        var dim = new SpanningVariable("firm", ["A", "B", "C"]);
        var t = new TableBuilder(dim) { DefaultBounds = (double.NegativeInfinity, double.PositiveInfinity) }
            .Value(-5, "A").Value(1, "B").Value(10, "C").FillMargins().Primary(2, 2, "A");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.Protected, result.Status);
        Assert.Equal([t.CellId("B")], result.SecondaryIds);
        var a = result.Cells.Single(c => c.Id == t.CellId("A"));
        Assert.True(double.IsNegativeInfinity(a.Interval!.Lower));
        Assert.True(double.IsPositiveInfinity(a.Interval.Upper));
        GlpkAudit.AssertProtected(problem, result);
    }

    [Fact]
    public void NonNegativeBoundsRuleOutTooSmallComplement()
    {
        // Same shape, non-negative: A = 5 (±2), B = 1, C = 10. With B ≥ 0, B can drop by only 1, so A + 2 is
        // unreachable with B alone; C is needed (B is not enough even though it is cheaper).
        var dim = new SpanningVariable("firm", ["A", "B", "C"]);
        var t = new TableBuilder(dim).Value(5, "A").Value(1, "B").Value(10, "C").FillMargins().Primary(2, 2, "A");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.Protected, result.Status);
        Assert.Equal([t.CellId("C")], result.SecondaryIds);
        GlpkAudit.AssertProtected(problem, result);
    }

    [Fact]
    public void MixedSignBoundsPerCell()
    {
        // 2-D table of net results: some cells may be negative (bounds -∞..∞), others are known ≥ 0.
        var rows = new SpanningVariable("region", ["N", "S", "W"]);
        var cols = new SpanningVariable("year", ["y1", "y2"]);
        var t = new TableBuilder(rows, cols)
            .Value(-4, "N", "y1").Value(7, "N", "y2")
            .Value(12, "S", "y1").Value(-3, "S", "y2")
            .Value(6, "W", "y1").Value(9, "W", "y2")
            .FillMargins()
            .Primary(1, 1, "N", "y1");
        foreach (var r in new[] { "N", "S", "W", "Total" })
        {
            foreach (var c in new[] { "y1", "y2", "Total" })
            {
                t.Bounds(double.NegativeInfinity, double.PositiveInfinity, r, c);
            }
        }

        t.Bounds(0, double.PositiveInfinity, "W", "y1");
        var problem = t.Build();
        var result = SecondarySuppressor.Run(problem);
        GlpkAudit.AssertProtected(problem, result);
    }

    [Fact]
    public void SingletonIsExposedAndNeverReportedSafe()
    {
        // Suppressing only the primary (no secondaries) leaves it alone in its relation: exact disclosure.
        var dim = new SpanningVariable("kind", ["A", "B", "C"]);
        var problem = new TableBuilder(dim).Value(4, "A").Value(10, "B").Value(20, "C").FillMargins().Primary(1, 1, "A").Build();
        var a = problem.IndexOf("kind=A");

        var intervals = AttackerModel.Intervals(problem, new HashSet<int> { a });

        Assert.Equal(4, intervals[a].Lower, 9);
        Assert.Equal(4, intervals[a].Upper, 9);
        Assert.False(AttackerModel.AllPrimariesProtected(problem, new HashSet<int> { a }));
    }

    [Fact]
    public void AlreadyProtectedPrimariesNeedNoSecondaries()
    {
        // Two primaries in one row of a 1-D table protect each other when both can absorb the other's range.
        var dim = new SpanningVariable("kind", ["A", "B", "C"]);
        var t = new TableBuilder(dim).Value(10, "A").Value(12, "B").Value(50, "C").FillMargins().Primary(1, 1, "A").Primary(1, 1, "B");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(0, result.SecondaryCount);
        GlpkAudit.AssertProtected(problem, result);
    }

    [Fact]
    public void SecondariesThemselvesNeedNoProtectionAndOnlyThePrimariesIntervalsAreComputed()
    {
        var t = new TableBuilder(Rows2, Cols2)
            .Value(20, "r1", "c1").Value(30, "r1", "c2").Value(25, "r2", "c1").Value(35, "r2", "c2")
            .FillMargins().Primary(5, 5, "r1", "c1");
        var result = SecondarySuppressor.Run(t.Build());
        var primary = Assert.Single(result.Cells, c => c.Kind == SuppressionKind.Primary);
        Assert.True(primary.Interval!.Width > 0);
        var secondaries = result.Cells.Where(c => c.Kind == SuppressionKind.Secondary).ToList();
        Assert.Equal(3, secondaries.Count);
        Assert.All(secondaries, c => Assert.True(c.MeetsRequirement));
        Assert.All(secondaries, c => Assert.Null(c.Interval));
    }
}
