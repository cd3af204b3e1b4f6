using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Protection against the largest contributor of another suppressed cell, who knows their own contribution
/// (singleton and multi-cell disclosure). Worked out by hand; protected results are audited with GLPK, for the
/// outsider and for every insider.
/// </summary>
public sealed class InsiderProtectionTests
{
    private static readonly SpanningVariable Kind = new("kind", ["A", "B", "C", "D"]);

    [Fact]
    public void Two_one_person_cells_of_a_row_are_protected_from_each_other_by_a_third_suppression()
    {
        // A = 50 and B = 30 have one contributor each and are primary (±10); C = 100, D = 20, Total = 200.
        // An outsider sees A + B = 80: A ∈ [0, 80] ⊇ [40, 60] and B ∈ [0, 80] ⊇ [20, 40], so no secondary is needed.
        // But A's only contributor knows A = 50 and gets B = 80 - 50 = 30 exactly (and B's gets A).
        // Suppressing D (the cheapest, cost 21) as well: A + B + D = 100; A's contributor gets B + D = 50,
        // B ∈ [0, 50] ⊇ [20, 40]; B's gets A + D = 70, A ∈ [0, 70] ⊇ [40, 60]. Protected.
        TableBuilder Table() => new TableBuilder(Kind)
            .Value(50, "A").Value(30, "B").Value(100, "C").Value(20, "D")
            .FillMargins()
            .Primary(10, 10, "A").Primary(10, 10, "B");

        var outsidersOnly = SecondarySuppressor.Run(Table().Build());
        Assert.Equal(SuppressionStatus.Protected, outsidersOnly.Status);
        Assert.Equal(0, outsidersOnly.SecondaryCount);

        AssertProtectedBy(Table().LargestContributor(50, onlyContributor: true, "A").LargestContributor(30, onlyContributor: true, "B"), "D");
    }

    [Fact]
    public void A_dominant_contributor_who_knows_most_of_a_cell_is_kept_from_narrowing_the_cell_beside_it()
    {
        // A = 100 (largest contribution 95, two contributors) and B = 40 (largest 20) are primary (±10);
        // C = 60, D = 30, Total = 230. An outsider: A + B = 140, B ∈ [0, 140] ⊇ [30, 50]. A's largest
        // contributor knows A ≥ 95, so B ≤ 45 < 50: short by 5. With D suppressed too: A + B + D = 170,
        // B ≤ 170 - 95 = 75 ≥ 50. B's largest contributor knows B ≥ 20: A ≤ 150 ≥ 110. Protected.
        var t = new TableBuilder(Kind)
            .Value(100, "A").Value(40, "B").Value(60, "C").Value(30, "D")
            .FillMargins()
            .Primary(10, 10, "A").Primary(10, 10, "B")
            .LargestContributor(95, onlyContributor: false, "A").LargestContributor(20, onlyContributor: false, "B");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.Protected, result.Status);
        Assert.Equal([t.CellId("D")], result.SecondaryIds);
        InsiderAudit.AssertProtectedAgainstInsiders(problem, result);
    }

    [Fact]
    public void A_cell_that_an_insider_pins_whatever_is_suppressed_is_named_with_that_insider()
    {
        // A = 50 has one contributor; A (±10) and B = 30 (10 down, 35 up, so to 65) are primary; only D = 20 may be
        // suppressed besides (C = 100 and Total = 200 must stay published). An outsider, with D suppressed, sees
        // A + B + D = 100: B ∈ [0, 100] ⊇ [20, 65]. A's contributor knows A = 50: B + D = 50, B ≤ 50 < 65, and no
        // other cell may be suppressed.
        var t = new TableBuilder(Kind)
            .Value(50, "A").Value(30, "B").Value(100, "C").Value(20, "D")
            .FillMargins()
            .Primary(10, 10, "A").Primary(10, 35, "B")
            .MustPublish("C").MustPublish("Total")
            .LargestContributor(50, onlyContributor: true, "A");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.CannotBeProtected, result.Status);
        Assert.Contains($"{t.CellId("B")} against the largest contributor of {t.CellId("A")}", result.Message);
    }

    [Fact]
    public void A_cell_is_not_protected_against_its_own_largest_contributor()
    {
        // A = 50 has one contributor and is primary; so is B = 30 with contributors of 20 and 10.
        // B's largest contributor knows B ≥ 20: A + B = 80 gives A ≤ 60 ≥ 50 + 10. A's own contributor knows A
        // exactly, which is no disclosure to anyone else: it must not make A look unprotected.
        var t = new TableBuilder(Kind)
            .Value(50, "A").Value(30, "B").Value(100, "C").Value(20, "D")
            .FillMargins()
            .Primary(10, 10, "A").Primary(10, 10, "B")
            .LargestContributor(50, onlyContributor: true, "A").LargestContributor(20, onlyContributor: false, "B");
        var problem = t.Build();

        var result = SecondarySuppressor.Run(problem);

        // B against A's contributor: B = 80 - 50 exactly, so a third cell is needed (D, the cheapest): then B ∈ [0, 50].
        Assert.Equal(SuppressionStatus.Protected, result.Status);
        Assert.Equal([t.CellId("D")], result.SecondaryIds);
        InsiderAudit.AssertProtectedAgainstInsiders(problem, result);
    }

    [Fact]
    public void A_unit_that_is_the_only_contributor_of_two_suppressed_cells_attacks_with_both_at_once()
    {
        // One business is the only contributor of B = 30 and of C = 20 (unit 7); A = 50 has several contributors, the
        // largest 20 (unit 1). A, B and C are primary (±10); D = 100, E = 40, Total = 240.
        // An outsider sees A + B + C = 100: A ∈ [0, 100], B and C ∈ [0, 100]: no secondary needed.
        // Each cell's insider on their own: knowing B = 30 leaves A + C = 70, A ∈ [0, 70] ⊇ [40, 60]; knowing C = 20
        // leaves A + B = 80; A's knows A ≥ 20, so B + C ≤ 80. Still no secondary.
        // But the business knows B and C together: A = 100 - 30 - 20 = 50 exactly. Suppressing E as well (the cheapest,
        // cost 41): A + E = 140 - 50 = 90, A ∈ [0, 90] ⊇ [40, 60]; against B, the business knows C: A + B + E = 120,
        // B ∈ [0, 120] ⊇ [20, 40]; against C likewise. Protected.
        var five = new SpanningVariable("kind", ["A", "B", "C", "D", "E"]);
        TableBuilder Table() => new TableBuilder(five)
            .Value(50, "A").Value(30, "B").Value(20, "C").Value(100, "D").Value(40, "E")
            .FillMargins()
            .Primary(10, 10, "A").Primary(10, 10, "B").Primary(10, 10, "C")
            .LargestContributor(20, onlyContributor: false, unit: 1, "A");

        var apart = Table().LargestContributor(30, onlyContributor: true, "B").LargestContributor(20, onlyContributor: true, "C");
        var each = SecondarySuppressor.Run(apart.Build());
        Assert.Equal(SuppressionStatus.Protected, each.Status);
        Assert.Equal(0, each.SecondaryCount);

        AssertProtectedBy(Table().LargestContributor(30, onlyContributor: true, unit: 7, "B").LargestContributor(20, onlyContributor: true, unit: 7, "C"), "E");
    }

    [Fact]
    public void A_cell_an_insider_pins_through_two_cells_is_named_with_both()
    {
        // As above, but only E may be suppressed besides and it is too small to help against the business:
        // E = 4 (must publish D and Total). With E suppressed, the business knows B = 30 and C = 20: A + E = 54,
        // A ∈ [50, 54], short of 60.
        var five = new SpanningVariable("kind", ["A", "B", "C", "D", "E"]);
        var t = new TableBuilder(five)
            .Value(50, "A").Value(30, "B").Value(20, "C").Value(100, "D").Value(4, "E")
            .FillMargins()
            .Primary(10, 10, "A").Primary(10, 10, "B").Primary(10, 10, "C")
            .MustPublish("D").MustPublish("Total")
            .LargestContributor(30, onlyContributor: true, unit: 7, "B").LargestContributor(20, onlyContributor: true, unit: 7, "C");

        var result = SecondarySuppressor.Run(t.Build());

        Assert.Equal(SuppressionStatus.CannotBeProtected, result.Status);
        Assert.Contains($"{t.CellId("A")} against the largest contributor of {t.CellId("B")} (also of {t.CellId("C")})", result.Message);
    }

    /// <summary>Protected with exactly this one secondary cell, and so audited by GLPK, against outsiders and every insider.</summary>
    private static void AssertProtectedBy(TableBuilder t, string secondary)
    {
        var problem = t.Build();
        var result = SecondarySuppressor.Run(problem);

        Assert.Equal(SuppressionStatus.Protected, result.Status);
        Assert.Equal([t.CellId(secondary)], result.SecondaryIds);
        GlpkAudit.AssertProtected(problem, result);
        InsiderAudit.AssertProtectedAgainstInsiders(problem, result);
    }
}
