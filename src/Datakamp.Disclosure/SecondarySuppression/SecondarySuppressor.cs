using System.Globalization;

namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Chooses secondary (complementary) suppressions so that every primary cell meets its protection
/// requirement against an attacker who knows the published cells, the additive relations and the a-priori
/// bounds; then verifies the pattern with <see cref="AttackerModel"/>. Fails closed.
/// </summary>
/// <remarks>
/// Steps (see README.md in this folder):
/// <list type="number">
/// <item>Primaries are processed largest requirement first; for each direction (up, down) with a positive
/// requirement, a cheap feasibility LP over suppressed cells only checks whether it is already met;
/// otherwise <see cref="ProtectionSearch"/> solves the cost-minimising deviation LP over all suppressible
/// cells and the cells it moves become secondaries. Infeasible there = cannot be protected at all.</item>
/// <item>Optional clean-up: secondaries are tried for removal, most expensive first, keeping a removal only
/// when the attacker LP still shows every protectable primary protected.</item>
/// <item>Verification: the attacker LP interval of every primary cell; under-protected primaries get
/// repair rounds; anything still short is reported, never claimed safe.</item>
/// </list>
/// </remarks>
public static class SecondarySuppressor
{
    /// <summary>Runs secondary suppression on <paramref name="problem"/>.</summary>
    public static SuppressionResult Run(SuppressionProblem problem, SuppressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options ??= new SuppressionOptions();
        var cells = problem.Cells;
        var scale = Scale(problem);
        using var search = new ProtectionSearch(problem);
        // Cells no table publishes are unknown to the attacker from the start (free, never secondaries).
        var suppressed = problem.PrimaryIndices.Concat(problem.UnpublishedIndices).ToHashSet();
        var primaries = problem.PrimaryIndices
            .OrderByDescending(p => Math.Max(cells[p].LowerProtection, cells[p].UpperProtection))
            .ThenBy(p => p)
            .ToList();
        var impossible = new HashSet<int>();
        var failed = new HashSet<int>();
        var witnesses = new WitnessPool(problem);
        var insiders = new InsiderCheck(problem, search, witnesses);
        // Primaries that cannot be protected against the largest contributor of another cell (that cell), or that
        // fall short against one at verification.
        var impossibleAgainstInsider = new Dictionary<int, int>();
        var shortAgainstInsider = new Dictionary<int, int>();
        var notEvaluatedAgainstInsiders = new HashSet<int>();

        void Protect(int p)
        {
            foreach (var deviation in Deviations(cells[p]))
            {
                if (witnesses.Fitting(suppressed, p, deviation).Any())
                {
                    continue;
                }

                var already = search.AlreadyProtected(suppressed, p, deviation);
                if (already.Status == SearchStatus.Found)
                {
                    witnesses.Add(p, deviation, already.Deviation);
                    continue;
                }

                var outcome = search.FindComplement(suppressed, p, deviation);
                switch (outcome.Status)
                {
                    case SearchStatus.Found:
                        suppressed.UnionWith(outcome.Added);
                        witnesses.Add(p, deviation, outcome.Deviation);
                        break;
                    case SearchStatus.Impossible:
                        impossible.Add(p);
                        break;
                    default:
                        failed.Add(p);
                        break;
                }
            }
        }

        // Against insiders, one breach at a time: each complement protects against that insider; cells added may
        // bring insiders of their own, so the primaries are gone over again until nothing is added.
        bool ProtectFromInsiders(int p)
        {
            var grew = false;
            foreach (var deviation in Deviations(cells[p]))
            {
                for (var round = 0; round < options.MaxInsiderRounds; round++)
                {
                    var finding = insiders.FirstBreach(suppressed, p, deviation);
                    if (finding.Status == InsiderStatus.Safe)
                    {
                        break;
                    }

                    if (finding.Status == InsiderStatus.NotEvaluated)
                    {
                        failed.Add(p);
                        break;
                    }

                    var outcome = search.FindComplement(suppressed, p, deviation, finding.Knowledge);
                    if (outcome.Status == SearchStatus.Found && outcome.Added.Count > 0)
                    {
                        suppressed.UnionWith(outcome.Added);
                        witnesses.Add(p, deviation, outcome.Deviation);
                        grew = true;
                        continue;
                    }

                    if (outcome.Status == SearchStatus.Impossible)
                    {
                        impossibleAgainstInsider[p] = finding.Insider;
                    }
                    else
                    {
                        failed.Add(p); // a breach the search cannot repair: numerical trouble, not protected
                    }

                    break;
                }
            }

            return grew;
        }

        void ProtectAllFromInsiders()
        {
            if (!insiders.HasInsiders)
            {
                return;
            }

            for (var pass = 0; pass < options.MaxInsiderRounds; pass++)
            {
                var grew = false;
                foreach (var p in primaries.Where(p => !impossible.Contains(p) && !impossibleAgainstInsider.ContainsKey(p)))
                {
                    grew |= ProtectFromInsiders(p);
                }

                if (!grew)
                {
                    return;
                }
            }
        }

        bool SafeFromInsiders(IEnumerable<int> ps) => !insiders.HasInsiders || ps.All(p =>
            Deviations(cells[p]).All(d => insiders.FirstBreach(suppressed, p, d).Status == InsiderStatus.Safe));

        foreach (var p in primaries)
        {
            Protect(p);
        }

        ProtectAllFromInsiders();

        var protectable = primaries.Where(p => !impossible.Contains(p)).ToHashSet();
        // Clean-up only for a protectable problem: with an impossible primary the result is not publishable,
        // and its partial protection should not be thinned out.
        if (options.RemoveRedundantSecondaries && impossible.Count == 0 && impossibleAgainstInsider.Count == 0)
        {
            var secondaries = suppressed.Where(c => !cells[c].IsPrimary && cells[c].IsPublished)
                .OrderByDescending(c => cells[c].EffectiveCost)
                .ThenBy(c => c)
                .ToList();
            if ((long)secondaries.Count * Math.Max(1, protectable.Count) <= options.RedundancyWorkLimit)
            {
                foreach (var s in secondaries)
                {
                    suppressed.Remove(s);
                    if (!AttackerModel.AllPrimariesProtected(problem, suppressed, protectable) || !SafeFromInsiders(protectable))
                    {
                        suppressed.Add(s);
                    }
                }
            }
        }

        // Verify; repair if needed (should not be: each accepted deviation stays feasible as the pattern grows).
        // Intervals of the primaries only: they are what must be protected. A secondary needs no protection of its own, and
        // an unpublished cell is an unknown, not a suppression (in a table with empty categories most suppressed cells).
        IReadOnlyDictionary<int, FeasibleInterval> intervals = AttackerModel.Intervals(problem, suppressed, PublishedPrimaries(problem, suppressed));
        void VerifyAgainstInsiders()
        {
            shortAgainstInsider.Clear();
            notEvaluatedAgainstInsiders.Clear();
            if (!insiders.HasInsiders)
            {
                return;
            }

            foreach (var p in protectable.Where(p => !impossibleAgainstInsider.ContainsKey(p)).Order())
            {
                foreach (var deviation in Deviations(cells[p]))
                {
                    var finding = insiders.FirstBreach(suppressed, p, deviation);
                    if (finding.Status == InsiderStatus.Breach)
                    {
                        shortAgainstInsider[p] = finding.Insider;
                    }
                    else if (finding.Status == InsiderStatus.NotEvaluated)
                    {
                        notEvaluatedAgainstInsiders.Add(p);
                    }
                }
            }
        }

        VerifyAgainstInsiders();
        for (var round = 0; round < options.MaxRepairRounds; round++)
        {
            var shortfall = protectable.Where(p => !Meets(problem, p, intervals[p], scale)).ToList();
            if (shortfall.Count == 0 && shortAgainstInsider.Count == 0)
            {
                break;
            }

            foreach (var p in shortfall)
            {
                Protect(p);
            }

            ProtectAllFromInsiders();
            intervals = AttackerModel.Intervals(problem, suppressed, PublishedPrimaries(problem, suppressed));
            VerifyAgainstInsiders();
        }

        return BuildResult(problem, scale, suppressed, intervals, impossible, impossibleAgainstInsider, shortAgainstInsider, notEvaluatedAgainstInsiders);
    }

    private static List<int> PublishedPrimaries(SuppressionProblem problem, HashSet<int> suppressed) =>
        suppressed.Where(c => problem.Cells[c].IsPublished && problem.Cells[c].IsPrimary).ToList();

    private static IEnumerable<double> Deviations(SuppressionCell cell)
    {
        if (cell.UpperProtection > 0)
        {
            yield return cell.UpperProtection;
        }

        if (cell.LowerProtection > 0)
        {
            yield return -cell.LowerProtection;
        }
    }

    private static double Scale(SuppressionProblem problem) =>
        problem.Cells.Count == 0 ? 0 : problem.Cells.Max(c => Math.Abs(c.Value));

    private static bool Meets(SuppressionProblem problem, int p, FeasibleInterval interval, double scale)
    {
        var cell = problem.Cells[p];
        return interval.Covers(cell.Value, cell.LowerProtection, cell.UpperProtection, AttackerModel.ToleranceFor(cell.Value, scale));
    }

    private static SuppressionResult BuildResult(
        SuppressionProblem problem,
        double scale,
        HashSet<int> suppressed,
        IReadOnlyDictionary<int, FeasibleInterval> intervals,
        HashSet<int> impossible,
        Dictionary<int, int> impossibleAgainstInsider,
        Dictionary<int, int> shortAgainstInsider,
        HashSet<int> notEvaluatedAgainstInsiders)
    {
        var output = new List<SuppressedCell>();
        var unprotected = new List<string>();
        var unreliable = false;
        int secondaryCount = 0;
        double valueSum = 0, costSum = 0;
        foreach (var c in suppressed.Order())
        {
            var cell = problem.Cells[c];
            if (!cell.IsPublished)
            {
                continue; // not a suppression: nobody publishes it
            }

            if (cell.IsPrimary)
            {
                var interval = intervals[c];
                unreliable |= !interval.Reliable;
                var meets = Meets(problem, c, interval, scale) && !shortAgainstInsider.ContainsKey(c) && !impossibleAgainstInsider.ContainsKey(c);
                if (!meets)
                {
                    unprotected.Add(cell.Id);
                }

                output.Add(new SuppressedCell(cell.Id, cell.Value, SuppressionKind.Primary, interval, cell.Value - cell.LowerProtection, cell.Value + cell.UpperProtection, meets));
            }
            else
            {
                secondaryCount++;
                valueSum += Math.Abs(cell.Value);
                costSum += cell.EffectiveCost;
                output.Add(new SuppressedCell(cell.Id, cell.Value, SuppressionKind.Secondary, Interval: null, cell.Value, cell.Value, true));
            }
        }

        SuppressionStatus status;
        string message;
        // An insider who is the largest contributor of several suppressed cells knows them all: name every one.
        string Insider(int q)
        {
            var unit = problem.Cells[q].LargestContributor?.Unit;
            var also = unit is null ? [] : suppressed.Where(c => c != q && problem.Cells[c].LargestContributor?.Unit == unit).Order().Select(c => problem.Cells[c].Id).ToList();
            return also.Count == 0 ? $"the largest contributor of {problem.Cells[q].Id}"
                : $"the largest contributor of {problem.Cells[q].Id} (also of {string.Join(", ", also)})";
        }
        if (unprotected.Count == 0 && !unreliable && impossible.Count == 0 && impossibleAgainstInsider.Count == 0 && notEvaluatedAgainstInsiders.Count == 0)
        {
            status = SuppressionStatus.Protected;
            message = string.Create(CultureInfo.InvariantCulture, $"Protected: {output.Count - secondaryCount} primary and {secondaryCount} secondary {Plural.Word(output.Count, "cell", "cells")} suppressed (secondary value {valueSum:G6}, cost {costSum:G6}).");
        }
        else if (impossible.Count > 0)
        {
            status = SuppressionStatus.CannotBeProtected;
            var ids = string.Join(", ", impossible.Order().Select(i => problem.Cells[i].Id));
            message = $"NOT PROTECTED: the required protection of {ids} cannot be reached even if every suppressible cell is suppressed. Do not publish.";
        }
        else if (impossibleAgainstInsider.Count > 0)
        {
            status = SuppressionStatus.CannotBeProtected;
            var which = string.Join("; ", impossibleAgainstInsider.OrderBy(kv => kv.Key).Select(kv => $"{problem.Cells[kv.Key].Id} against {Insider(kv.Value)}"));
            message = $"NOT PROTECTED: the required protection cannot be reached even if every suppressible cell is suppressed, for {which}, who knows their own contribution. Do not publish.";
        }
        else
        {
            status = SuppressionStatus.VerificationFailed;
            var against = shortAgainstInsider.Count == 0 ? ""
                : $" ({string.Join("; ", shortAgainstInsider.OrderBy(kv => kv.Key).Select(kv => $"{problem.Cells[kv.Key].Id} against {Insider(kv.Value)}"))})";
            message = unreliable || unprotected.Count == 0
                ? "NOT PROTECTED: an attacker LP did not finish cleanly. Do not publish."
                : $"NOT PROTECTED: verification found under-protected cells: {string.Join(", ", unprotected)}{against}. Do not publish.";
        }

        return new SuppressionResult(status, output, secondaryCount, valueSum, costSum, unprotected, message);
    }
}
