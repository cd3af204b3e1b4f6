using System.Diagnostics;
using System.Globalization;
using System.Text;
using Datakamp.Disclosure.Verdicts;
using Google.OrTools.LinearSolver;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Issue 15: 200 random 2- and 3-way frequency and magnitude tables with many primary cells (up to 3,000 cells), under
/// each shipped policy, checked by the whole checker from microdata. Every result is either protected according to an
/// independent audit, or names the cell that cannot be protected.
/// </summary>
/// <remarks>
/// The audit trusts nothing of the engine but the pattern it published and the protection each primary needs: it
/// recomputes every cell from the generated rows itself, derives the additive relations from the spec (every margin is
/// the sum of its categories, along each dimension), and asks its own linear programs (GLOP, formulated here) how far
/// an attacker who knows every published cell can narrow each primary. For magnitude tables it also asks how far an
/// insider narrows it: the largest contributor of suppressed cells, found from the rows, who knows their own income and
/// so that each of those cells is at least that much (exactly that much when they are its only contributor). A relation
/// the engine forgot, a cell it got wrong, a contributor it missed or a pattern that leaks fails the test with the seed.
/// </remarks>
[Trait("Category", "Slow")]
public sealed class RandomMicrodataProtectionTests(ITestOutputHelper output) : IDisposable
{
    private const int Tables = 200, BaseSeed = 15_000;
    private static readonly string[] Policies = ["cbs-persons", "cbs-businesses", "acro-default"];
    private readonly string _dir = Directory.CreateTempSubdirectory("dk-random-microdata-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Two_hundred_random_tables_under_every_shipped_policy_are_protected_by_an_independent_audit_or_name_the_cell_that_cannot_be()
    {
        var watch = Stopwatch.StartNew();
        var engine = TimeSpan.Zero;
        var outcomes = new Dictionary<SuppressionOutcome, int>();
        int cells = 0, primaries = 0, secondaries = 0, largest = 0;
        for (var t = 0; t < Tables; t++)
        {
            var seed = BaseSeed + t;
            var table = RandomMicrodata.Create(seed, Policies[t % Policies.Length], magnitude: t % 2 == 0);
            var started = watch.Elapsed;
            var file = await CheckAsync(table, seed);
            engine += watch.Elapsed - started;
            var outcome = file.Suppression?.Status ?? throw new InvalidOperationException($"seed {seed}: no suppression verdict ({string.Join("; ", file.Reasons)})");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            cells += file.Cells.Count;
            largest = Math.Max(largest, file.Cells.Count);
            primaries += file.Cells.Count(c => c.PrimarySuppressed);
            secondaries += file.Cells.Count(c => c.SecondarySuppressed);

            var audit = IndependentAudit.Run(table, file, TestData.Policy(table.Policy));
            switch (outcome)
            {
                case SuppressionOutcome.Protected or SuppressionOutcome.NotNeeded:
                    Assert.True(audit.Count == 0, $"seed {seed} ({table.Describe()}): {outcome}, but the audit finds {string.Join("; ", audit.Take(5))}");
                    break;
                case SuppressionOutcome.CannotBeProtected:
                    // Fail closed is allowed only when the verdict says which cell cannot be protected (the suppression's
                    // message names cells as the linked structure does: name=label in name order, joined by ';').
                    Assert.True(file.Cells.Any(c => c.PrimarySuppressed && (file.Suppression!.Message.Contains(c.Id, StringComparison.Ordinal)
                            || file.Suppression.Message.Contains(StructureId(table, c), StringComparison.Ordinal))),
                        $"seed {seed} ({table.Describe()}): cannot be protected, but no cell is named: {file.Suppression!.Message}");
                    break;
                default:
                    Assert.Fail($"seed {seed} ({table.Describe()}): {outcome}: {file.Suppression!.Message}");
                    break;
            }
        }

        Assert.True(primaries > 5 * Tables, $"the tables should have many primary cells, got {primaries}");
        Assert.True(largest > 2_000, $"some table should be near 3,000 cells, the largest has {largest}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Tables} tables, {cells} cells (largest {largest}), {primaries} primary and {secondaries} secondary cells; "
            + $"{string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}; {watch.Elapsed.TotalSeconds:F1} s, of which the checker {engine.TotalSeconds:F1} s"));
    }

    private static string StructureId(RandomMicrodata table, CellVerdict cell) =>
        string.Join(';', table.Dimensions.Order(StringComparer.Ordinal).Where(d => cell.Coordinates[d] != "Total").Select(d => $"{d}={cell.Coordinates[d]}"));

    private async Task<FileVerdict> CheckAsync(RandomMicrodata table, int seed)
    {
        var data = Path.Combine(_dir, $"t{seed}.csv");
        await File.WriteAllTextAsync(data, table.Csv(), new UTF8Encoding(false), TestContext.Current.CancellationToken);
        var spec = TestData.Spec(table.SpecYaml());
        var verdict = await DisclosureChecker.CheckAsync(
            new CheckRequest(data, [spec], TestData.Policy(table.Policy), new Dictionary<string, string>(), RequireSubmittedFiles: false),
            null, TestContext.Current.CancellationToken);
        File.Delete(data);
        return Assert.Single(verdict.Files);
    }

    /// <summary>One random table: its rows (one per person or business), dimensions, statistic and policy.</summary>
    private sealed record RandomMicrodata(string Policy, bool Magnitude, IReadOnlyList<string> Dimensions, IReadOnlyList<(string[] Labels, long Income)> Rows)
    {
        public static RandomMicrodata Create(int seed, string policy, bool magnitude)
        {
            var rng = new Random(seed);
            int[] sizes;
            do
            {
                sizes = rng.Next(2) == 0 ? [rng.Next(3, 61), rng.Next(2, 41)] : [rng.Next(3, 41), rng.Next(2, 9), rng.Next(2, 9)];
            }
            while (sizes.Aggregate(1, (n, s) => n * (s + 1)) > 3_000);

            // Many small cells: a share of them (up to a third) holds 0 to 6 units, the others 7 to 60.
            var smallShare = 0.05 + (rng.NextDouble() * 0.3);
            var rows = new List<(string[], long)>();
            foreach (var labels in Inner(sizes))
            {
                var units = rng.NextDouble() < smallShare ? rng.Next(0, 7) : rng.Next(7, 61);
                for (var u = 0; u < units; u++)
                {
                    var income = (long)Math.Round(Math.Exp(9.5 + (rng.NextDouble() * 2)));
                    if (rng.NextDouble() < 0.02) income *= 100;   // a dominant contributor now and then
                    rows.Add((labels, income));
                }
            }

            return new RandomMicrodata(policy, magnitude, sizes.Select((_, d) => $"d{d}").ToList(), rows);
        }

        public string Describe() => $"{Policy}, {(Magnitude ? "sum" : "count")}, {Dimensions.Count}-way, {Rows.Count} rows";

        public string Csv()
        {
            var csv = new StringBuilder("id," + string.Join(',', Dimensions) + ",income\n");
            for (var i = 0; i < Rows.Count; i++)
                csv.Append(CultureInfo.InvariantCulture, $"u{i},{string.Join(',', Rows[i].Labels)},{Rows[i].Income}\n");
            return csv.ToString();
        }

        public string SpecYaml() =>
            $"""
            version: 1
            kind: table
            dataset: persons
            unit: id
            rows: [d0]
            cols: [d1]
            statistic: {(Magnitude ? "sum" : "count")}
            margins: true

            """
            + (Dimensions.Count == 3 ? "layers: [d2]\n" : "")
            + (Magnitude ? "value: income\n" : "");

        private static IEnumerable<string[]> Inner(int[] sizes, int d = 0) => d == sizes.Length
            ? [[]]
            : Enumerable.Range(0, sizes[d]).SelectMany(c => Inner(sizes, d + 1).Select(rest => new[] { $"c{c:00}" }.Concat(rest).ToArray()));
    }

    /// <summary>The attacker's view of the published table, built from the rows and the spec alone.</summary>
    private static class IndependentAudit
    {
        private const string Total = "Total";

        /// <summary>What is wrong: cells whose value differs from the rows, or primaries an attacker narrows below their protection.</summary>
        public static List<string> Run(RandomMicrodata table, FileVerdict file, Datakamp.Disclosure.Policies.Policy policy)
        {
            var problems = new List<string>();
            // The categories a reader sees are the ones that occur in the rows.
            var categories = table.Dimensions.Select((_, d) => table.Rows.Select(r => r.Labels[d]).Distinct().Order(StringComparer.Ordinal).ToList()).ToList();
            // Each row counts in its own cell and in every margin above it: 2^d cells, one per choice of dimensions summed over.
            var truth = AllCells(categories).ToDictionary(Key, _ => 0.0, StringComparer.Ordinal);
            // Per cell its largest contributor: a row is a unit; on a tie the unit first in the file.
            var largest = new Dictionary<string, Contributor>(StringComparer.Ordinal);
            var dims = table.Dimensions.Count;
            for (var row = 0; row < table.Rows.Count; row++)
            {
                var (labels, income) = table.Rows[row];
                for (var summedOver = 0; summedOver < 1 << dims; summedOver++)
                {
                    var key = Key(labels.Select((l, d) => (summedOver & (1 << d)) != 0 ? Total : l).ToArray());
                    truth[key] += table.Magnitude ? income : 1.0;
                    largest[key] = largest.TryGetValue(key, out var c)
                        ? (income > c.Income ? new Contributor(row, income, c.Units + 1) : c with { Units = c.Units + 1 })
                        : new Contributor(row, income, 1);
                }
            }

            var byKey = new Dictionary<string, CellVerdict>(StringComparer.Ordinal);
            foreach (var cell in file.Cells)
                byKey[Key(table.Dimensions.Select(d => cell.Coordinates[d]).ToArray())] = cell;
            if (byKey.Count != truth.Count) problems.Add($"the verdict has {byKey.Count} cells, the rows make {truth.Count}");
            foreach (var (key, value) in truth)
            {
                if (!byKey.TryGetValue(key, out var cell)) problems.Add($"cell {key} is missing from the verdict");
                else if (Math.Abs((cell.Value ?? 0) - value) > 1e-6 * Math.Max(1, Math.Abs(value))) problems.Add($"cell {key} is {cell.Value}, the rows say {value}");
            }
            if (problems.Count > 0) return problems;

            var suppressed = byKey.Where(kv => kv.Value.PrimarySuppressed || kv.Value.SecondarySuppressed).Select(kv => kv.Key).ToList();
            if (suppressed.Count == 0) return problems;
            using var solver = Solver.CreateSolver("GLOP");
            var unknown = AttackerView(solver, categories, truth, suppressed);

            var scale = truth.Values.Max(Math.Abs);
            // Magnitude tables: one insider per unit that is the largest contributor of a suppressed cell, with those cells,
            // and what that insider knows of each: at least their own income, or exactly the cell when they are all of it.
            var insiders = table.Magnitude
                ? suppressed.Where(largest.ContainsKey).GroupBy(k => largest[k].Row).Select(g => (Row: g.Key, Cells: g.ToList())).ToList()
                : [];
            var known = insiders.SelectMany(i => i.Cells).ToDictionary(q => q,
                q => largest[q].Units == 1 ? (Lower: truth[q], Upper: truth[q]) : (Lower: largest[q].Income, Upper: double.PositiveInfinity), StringComparer.Ordinal);
            using var shortfall = new ShortfallRows(solver => AttackerView(solver, categories, truth, suppressed), known);
            foreach (var key in suppressed.Where(k => byKey[k].PrimarySuppressed))
            {
                var (value, cell) = (truth[key], byKey[key]);
                var lower = Math.Min(cell.ProtectionLower ?? 0, value);
                var upper = cell.ProtectionUpper ?? 0;
                if (lower <= 0 && upper <= 0) upper = Math.Max(policy.Suppression.MinimumProtection, 1);
                var tolerance = Tolerance(value, scale);
                var (min, lowest) = Optimise(solver, unknown, key, maximise: false);
                var (max, highest) = Optimise(solver, unknown, key, maximise: true);
                if (lower > 0 && !(min <= value - lower + tolerance)) problems.Add($"{key} = {value}: an attacker knows it is at least {min}, protection below is {lower}");
                if (upper > 0 && !(max >= value + upper - tolerance)) problems.Add($"{key} = {value}: an attacker knows it is at most {max}, protection above is {upper}");

                // Each insider, with what they know of the other suppressed cells. A primary's own largest contributor is
                // the one its protection is set against: their cells that contain the primary or lie inside it tell them
                // nothing that protection does not already allow for (the engine's model), so those are left out (Counts).
                // Any solution that reaches the protection and keeps within an insider's knowledge proves the primary safe
                // from that insider. The first tried keeps within what as many insiders as possible know (the least
                // weighted shortfall, ShortfallRows); an insider that neither it nor any solution found since respects gets
                // a program of their own, which decides.
                if (insiders.Count == 0) continue;
                bool Counts(string q) => q != key && !(largest.TryGetValue(key, out var own) && own.Row == largest[q].Row && Nested(q, key));
                var below = lower > 0 ? new List<Dictionary<string, double>> { lowest } : null;
                var above = new List<Dictionary<string, double>> { highest };
                if (below is not null && min <= value - lower + tolerance)
                    below.Add(shortfall.Least(key, 0, value - lower, known.Keys.Where(Counts)));
                if (upper > 0 && max >= value + upper - tolerance)
                    above.Add(shortfall.Least(key, value + upper, double.PositiveInfinity, known.Keys.Where(Counts)));
                foreach (var (row, cells) in insiders)
                {
                    var knows = cells.Where(Counts).ToDictionary(q => q, q => known[q], StringComparer.Ordinal);
                    if (knows.Count == 0) continue;
                    var who = $"the largest contributor of {string.Join(", ", knows.Keys)} (row {row})";
                    if (below is not null && !below.Exists(s => Respects(s, knows, scale)))
                    {
                        var (least, solution) = WithKnowledge(solver, unknown, knows, key, maximise: false);
                        if (least <= value - lower + tolerance) below.Add(solution);
                        else problems.Add($"{key} = {value}: {who} knows it is at least {least}, protection below is {lower}");
                    }
                    if (upper > 0 && !above.Exists(s => Respects(s, knows, scale)))
                    {
                        var (most, solution) = WithKnowledge(solver, unknown, knows, key, maximise: true);
                        if (most >= value + upper - tolerance) above.Add(solution);
                        else problems.Add($"{key} = {value}: {who} knows it is at most {most}, protection above is {upper}");
                    }
                }
            }
            return problems;
        }

        /// <summary>
        /// The attacker's view in <paramref name="solver"/>: an unknown (≥ 0) per suppressed cell, and every relation with the
        /// published cells as constants.
        /// </summary>
        private static Dictionary<string, Variable> AttackerView(Solver solver, List<List<string>> categories, Dictionary<string, double> truth,
            List<string> suppressed)
        {
            var unknown = suppressed.ToDictionary(k => k, k => solver.MakeNumVar(0, double.PositiveInfinity, k), StringComparer.Ordinal);
            foreach (var (total, parts) in Relations(categories))
            {
                if (!parts.Append(total).Any(unknown.ContainsKey)) continue;
                // Σ parts − total = 0, with the published cells as constants.
                var rhs = 0.0;
                var row = solver.MakeConstraint();
                foreach (var (cell, sign) in parts.Select(p => (p, 1.0)).Append((total, -1.0)))
                {
                    if (unknown.TryGetValue(cell, out var x)) row.SetCoefficient(x, sign);
                    else rhs -= sign * truth[cell];
                }
                row.SetBounds(rhs, rhs);
            }
            return unknown;
        }

        /// <summary>
        /// The attacker's view in a solver of its own, with, for each cell an insider knows, how far a solution falls short
        /// of that knowledge: x + below ≥ known lower bound and x − above ≤ known upper bound, below, above ≥ 0. The rows
        /// always hold (a shortfall can be as large as it likes); <see cref="Least"/> prices the shortfalls of the cells it
        /// is given. Its own solver, so the programs that decide keep a model with nothing but the relations.
        /// </summary>
        private sealed class ShortfallRows : IDisposable
        {
            private readonly Solver _solver = Solver.CreateSolver("GLOP");
            private readonly Dictionary<string, Variable> _unknown;
            private readonly Dictionary<string, List<(Variable Shortfall, double Weight)>> _shortfalls = new(StringComparer.Ordinal);

            public ShortfallRows(Func<Solver, Dictionary<string, Variable>> attackerView, Dictionary<string, (double Lower, double Upper)> known)
            {
                _unknown = attackerView(_solver);
                foreach (var (q, (lower, upper)) in known)
                {
                    // Each shortfall is weighted by the size of what is known, so every insider counts alike.
                    var below = _solver.MakeNumVar(0, double.PositiveInfinity, $"below {q}");
                    var floor = _solver.MakeConstraint(lower, double.PositiveInfinity);
                    floor.SetCoefficient(_unknown[q], 1);
                    floor.SetCoefficient(below, 1);
                    _shortfalls[q] = [(below, 1 / Math.Max(1, lower))];
                    if (double.IsFinite(upper))
                    {
                        var above = _solver.MakeNumVar(0, double.PositiveInfinity, $"above {q}");
                        var cap = _solver.MakeConstraint(double.NegativeInfinity, upper);
                        cap.SetCoefficient(_unknown[q], 1);
                        cap.SetCoefficient(above, -1);
                        _shortfalls[q].Add((above, 1 / Math.Max(1, upper)));
                    }
                }
            }

            public void Dispose() => _solver.Dispose();

            /// <summary>
            /// With <paramref name="target"/> held within [from, to]: the unknowns of a solution with the least weighted
            /// shortfall over <paramref name="cells"/>; empty when GLOP finds none.
            /// </summary>
            public Dictionary<string, double> Least(string target, double from, double to, IEnumerable<string> cells)
            {
                var objective = _solver.Objective();
                objective.Clear();
                objective.SetMinimization();
                foreach (var q in cells)
                    foreach (var (shortfall, weight) in _shortfalls[q])
                        objective.SetCoefficient(shortfall, weight);
                _unknown[target].SetBounds(from, to);
                try
                {
                    // Feasible whenever the outsider reaches the protection: the shortfalls absorb every insider's bounds.
                    return _solver.Solve(Parameters) == Solver.ResultStatus.OPTIMAL ? Values(_unknown) : [];
                }
                finally
                {
                    _unknown[target].SetBounds(0, double.PositiveInfinity);
                }
            }
        }

        /// <summary>A row of the table as the largest contributor of a cell: its index (the unit), income, and how many units the cell has.</summary>
        private sealed record Contributor(int Row, double Income, int Units);

        /// <summary>The value of every unknown in the last solution.</summary>
        private static Dictionary<string, double> Values(Dictionary<string, Variable> unknown) =>
            unknown.ToDictionary(kv => kv.Key, kv => kv.Value.SolutionValue(), StringComparer.Ordinal);

        private static bool Respects(Dictionary<string, double> solution, Dictionary<string, (double Lower, double Upper)> knows, double scale) =>
            solution.Count > 0 && knows.All(k => solution[k.Key] >= k.Value.Lower - Tolerance(k.Value.Lower, scale)
                && solution[k.Key] <= k.Value.Upper + Tolerance(k.Value.Lower, scale));

        /// <summary>How far from <paramref name="value"/> a solver's answer may be and still count as equal: relative, plus a share of the table's largest cell.</summary>
        private static double Tolerance(double value, double scale) => (1e-6 * Math.Max(1, Math.Abs(value))) + (1e-9 * scale);

        /// <summary>The primary's optimum with the insider's cells held to what the insider knows, and its solution.</summary>
        private static (double Optimum, Dictionary<string, double> Solution) WithKnowledge(Solver solver, Dictionary<string, Variable> unknown,
            Dictionary<string, (double Lower, double Upper)> knows, string primary, bool maximise)
        {
            foreach (var (q, (lower, upper)) in knows) unknown[q].SetBounds(lower, upper);
            try
            {
                return Optimise(solver, unknown, primary, maximise);
            }
            finally
            {
                foreach (var q in knows.Keys) unknown[q].SetBounds(0, double.PositiveInfinity);
            }
        }

        /// <summary>True when one cell contains the other (in every dimension the same category, or Total in the containing one).</summary>
        private static bool Nested(string a, string b)
        {
            var (x, y) = (a.Split('|'), b.Split('|'));
            return Contains(x, y) || Contains(y, x);

            static bool Contains(string[] outer, string[] inner) => outer.Zip(inner).All(p => p.First == Total || p.First == p.Second);
        }

        /// <summary>Presolve off, so that each objective starts from the previous basis: thousands of solves per table stay cheap.</summary>
        private static readonly MPSolverParameters Parameters = NoPresolve();

        private static MPSolverParameters NoPresolve()
        {
            var parameters = new MPSolverParameters();
            parameters.SetIntegerParam(MPSolverParameters.IntegerParam.PRESOLVE, (int)MPSolverParameters.PresolveValues.PRESOLVE_OFF);
            return parameters;
        }

        /// <summary>
        /// The optimum of <paramref name="target"/>: +∞ when unbounded above, NaN when GLOP does not prove one (which then
        /// fails the check). With it the unknowns of the optimal solution; empty when there is none, so that an unbounded or
        /// failed solve is never taken for a solution.
        /// </summary>
        private static (double Optimum, Dictionary<string, double> Solution) Optimise(Solver solver, Dictionary<string, Variable> unknown, string target,
            bool maximise)
        {
            var objective = solver.Objective();
            objective.Clear();
            objective.SetCoefficient(unknown[target], 1);
            if (maximise) objective.SetMaximization(); else objective.SetMinimization();
            return solver.Solve(Parameters) switch
            {
                Solver.ResultStatus.OPTIMAL => (objective.Value(), Values(unknown)),
                Solver.ResultStatus.UNBOUNDED => (maximise ? double.PositiveInfinity : double.NegativeInfinity, []),
                _ => (double.NaN, []),
            };
        }

        /// <summary>Every margin equals the sum of its categories along each dimension in which it is a total.</summary>
        private static IEnumerable<(string Total, List<string> Parts)> Relations(List<List<string>> categories)
        {
            foreach (var cell in AllCells(categories))
                for (var d = 0; d < cell.Length; d++)
                    if (cell[d] == Total)
                        yield return (Key(cell), categories[d].Select(c => Key(cell.Select((l, k) => k == d ? c : l).ToArray())).ToList());
        }

        private static IEnumerable<string[]> AllCells(List<List<string>> categories, int d = 0) => d == categories.Count
            ? [[]]
            : categories[d].Append(Total).SelectMany(c => AllCells(categories, d + 1).Select(rest => new[] { c }.Concat(rest).ToArray()));

        private static string Key(string[] cell) => string.Join('|', cell);
    }
}
