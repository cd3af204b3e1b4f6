using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// A deviation found for one primary, scaled, also proves another primary it moves; never one that leaves a bound.
/// Hand-computed on a row A = 3, B = 4, C = 20, Total = 27 with A, B and C suppressed.
/// </summary>
public sealed class WitnessPoolTests
{
    private static (SuppressionProblem Problem, int A, int B, int C, HashSet<int> Suppressed) Row(double? largestOfC = null)
    {
        var t = new TableBuilder(new SpanningVariable("kind", ["A", "B", "C"]))
            .Value(3, "A").Value(4, "B").Value(20, "C").FillMargins()
            .Primary(2, 2, "A").Primary(2, 2, "B");
        if (largestOfC is { } largest)
        {
            t = t.LargestContributor(largest, onlyContributor: false, "C");
        }

        var problem = t.Build();
        int a = problem.IndexOf(t.CellId("A")), b = problem.IndexOf(t.CellId("B")), c = problem.IndexOf(t.CellId("C"));
        return (problem, a, b, c, [a, b, c]);
    }

    [Fact]
    public void A_deviation_found_for_one_primary_is_scaled_to_prove_another_that_it_moves()
    {
        var (problem, a, b, c, suppressed) = Row();
        var pool = new WitnessPool(problem);
        // A up by 2, B down by 2: the total stays 27.
        pool.Add(a, 2, new Dictionary<int, double> { [b] = -2 });

        // B up by 1: the same deviation times -1/2, so A moves down by 1 (3 - 1 = 2 >= 0).
        var found = Find(pool, suppressed, b, 1);

        Assert.NotNull(found);
        Assert.Equal(-1, found[a], 9);
        Assert.False(found.ContainsKey(b));
        Assert.False(found.ContainsKey(c));
    }

    [Fact]
    public void A_scaled_deviation_that_would_take_a_cell_below_its_bound_is_not_used()
    {
        var (problem, a, b, _, suppressed) = Row();
        var pool = new WitnessPool(problem);
        pool.Add(a, 2, new Dictionary<int, double> { [b] = -2 });

        // B up by 4 would take A down by 4, to -1: below what everyone knows (0).
        Assert.Null(Find(pool, suppressed, b, 4));
    }

    [Fact]
    public void A_deviation_through_a_cell_that_is_no_longer_suppressed_is_not_used()
    {
        var (problem, a, b, c, suppressed) = Row();
        var pool = new WitnessPool(problem);
        pool.Add(a, 2, new Dictionary<int, double> { [c] = -2 });
        suppressed.Remove(c);

        Assert.Null(Find(pool, suppressed, a, 2));
        Assert.Null(Find(pool, suppressed, b, 2)); // and it never moved B
    }

    [Fact]
    public void A_deviation_whose_relations_do_not_add_up_is_not_kept()
    {
        var (problem, a, b, _, suppressed) = Row();
        var pool = new WitnessPool(problem);

        // A up by 2 and B down by 1 would change the published total by 1: not a deviation the attacker cannot rule out.
        Assert.False(pool.Add(a, 2, new Dictionary<int, double> { [b] = -1 }));
        Assert.Null(Find(pool, suppressed, b, 1));
    }

    [Fact]
    public void A_deviation_found_for_another_primary_that_respects_an_insider_settles_that_insider_without_a_linear_program()
    {
        // C's largest contributor knows C >= 15. Kept for A: A + 2, B - 1, C - 1. For B up by 1 it is scaled by -1:
        // A - 2 (to 1), C + 1 (to 21), which C's contributor cannot rule out. So no program is needed.
        var (problem, a, b, c, suppressed) = Row(largestOfC: 15);
        using var search = new ProtectionSearch(problem);
        var pool = new WitnessPool(problem);
        var insiders = new InsiderCheck(problem, search, pool);
        Assert.True(pool.Add(a, 2, new Dictionary<int, double> { [b] = -1, [c] = -1 }));

        var finding = insiders.FirstBreach(suppressed, b, 1);

        Assert.Equal(InsiderStatus.Safe, finding.Status);
        Assert.Equal(0, search.LpCount);
    }

    /// <summary>The first kept deviation that fits, scaled, with the primary's own move left out; null when none fits.</summary>
    private static Dictionary<int, double>? Find(WitnessPool pool, IReadOnlySet<int> suppressed, int primary, double deviation) =>
        pool.Fitting(suppressed, primary, deviation)
            .Select(w => w.Moves.Keys.Where(c => c != primary).ToDictionary(c => c, w.Of))
            .FirstOrDefault();
}
