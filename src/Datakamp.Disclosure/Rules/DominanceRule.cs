using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;
using static Datakamp.Disclosure.Rules.RuleText;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// (n,k) dominance for sum, mean and std cells: a mean discloses its sum given the count, and a std over a
/// dominated cell discloses its largest contribution (std·√n ≈ x1 when the others are small), so all three are
/// judged on the same per-unit contributions and give the same finding for the same cell. With x1 ≥ x2 ≥ …
/// the per-unit contributions (all rows of a unit summed first) and X the cell total, unsafe when
/// <c>x1 + … + xn &gt; k/100 · X</c>; with the policy's <c>unsafe_at_k</c> (acro-default) also when equal, as
/// ACRO 1.0.1 compares with &gt;= (ACRO 0.4.12 compared strictly). When the cell has negative contributions,
/// absolute contributions and X = Σ|x| are used, for that cell only. Cells with X ≤ 0 have nothing to dominate.
/// Protection (the usual equivalent for (n,k)): the total must grow until the top n hold k%:
/// <c>100/k · (x1 + … + xn) − X</c>, both directions. At exactly k% with <c>unsafe_at_k</c> that is 0, and
/// the suppression step gives such a cell the policy's minimum protection instead.
/// </summary>
public sealed class DominanceRule(DominanceSettings settings) : IDisclosureRule
{
    public string Id => "dominance";

    /// <summary>The statistics whose cells are judged on their unit contributions (see <see cref="PPercentRule"/> too).</summary>
    public static bool AppliesTo(StatisticKind kind) => kind is StatisticKind.Sum or StatisticKind.Mean or StatisticKind.Std;

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        if (!AppliesTo(table.Statistic.Kind)) return null;
        var e = cell.Evidence;
        var total = e.DominanceTotal;
        if (e.UnitsWithValue == 0 || !(total > 0)) return null;
        var top = e.TopContributions.Take(settings.N).Sum();
        // Both sides times 100, so that whole-number data at exactly k% compares exactly (0.9 · X may round).
        var topTimes100 = top * 100;
        var limit = settings.KPercent * total;
        var unsafeCell = settings.UnsafeAtK ? topTimes100 >= limit : topTimes100 > limit;
        if (!unsafeCell) return null;
        var share = top / total * 100;
        var protection = 100 / settings.KPercent * top - total;
        var largest = settings.N == 1 ? "The largest unit holds" : $"The {settings.N} largest units hold";
        return new RuleFinding(Id, settings.Status,
            $"{largest} {N(share)}% of the cell total, {(settings.UnsafeAtK ? "at least" : "more than")} {N(settings.KPercent)}%" + (e.Negatives > 0 ? " (absolute values, the cell has negatives)." : "."),
            new Dictionary<string, double> { ["top_n_sum"] = top, ["total"] = total, ["share_percent"] = share, ["n"] = settings.N, ["k_percent"] = settings.KPercent },
            protection, protection);
    }
}
