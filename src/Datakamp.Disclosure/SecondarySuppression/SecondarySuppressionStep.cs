using System.Diagnostics;
using System.Globalization;
using System.Text;
using Datakamp.Disclosure.Filters;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Rules;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.PrimarySuppression;
using Datakamp.Disclosure.Tables;
using Datakamp.Disclosure.Verdicts;


namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// Builds and solves the secondary-suppression problems of one request. Tables of the same population
/// (dataset, unit, filter, weight) that show the same additive quantity (the count, or the sum of one value
/// column; a mean table through its sums) are linked: a cell with the same coordinates is one cell
/// (<see cref="LinkedTables"/>). A table without margins still links: its margins are cells nobody publishes.
/// Rows with an empty value in a dimension are in no published cell, but they are in the population: in the
/// linked structure they form a category of their own that no table publishes (<see cref="MissingLabel"/>), and
/// a table's margins are the subtotals of its known categories (<see cref="KnownLabel"/>), so a one-way table
/// (which counts those rows) and a two-way table (which cannot) stay additive and linked. A group of such rows
/// that fails the rules and could be recomputed by subtraction is protected like a primary cell.
/// Other tables are solved on their own. Fails closed: anything that cannot be built or solved is reported
/// with <see cref="SuppressionOutcome.Error"/>.
/// </summary>
internal static class SecondarySuppressionStep
{
    // '%' is escaped in every label, so these labels can never collide with a category.
    private const string TotalLabel = "%Total";
    private const string MissingLabel = "%Empty";
    private const string KnownLabel = "%Known";

    public static Dictionary<int, TableSuppression> Run(IReadOnlyList<AssessedTable> tables, Policy policy, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, TableSuppression>();
        var groups = new List<List<AssessedTable>>();
        foreach (var t in tables)
        {
            if (Quantity(t.Table.Spec) is null)
            {
                var primaries = t.Assessments.Count(a => a.PrimarySuppressed);
                var message = $"No secondary suppression: a {t.Table.Statistic} has no additive structure, so no cell can be recomputed from other cells or margins"
                    + (primaries > 0 ? "; suppressing the primary cells is enough." : ".");
                result[t.Key] = new TableSuppression(new SuppressionVerdict(SuppressionOutcome.NotApplicable, message, null, [], primaries, 0, 0, null, null, 0),
                    new Dictionary<int, SuppressedCell>(), false);
                continue;
            }

            var key = PopulationKey(t.Table.Spec);
            var group = groups.FirstOrDefault(g => PopulationKey(g[0].Table.Spec) == key);
            if (group is null) groups.Add([t]);
            else group.Add(t);
        }

        var solved = new TableSuppression[groups.Count][];
        // Independent groups in parallel (the request's two cores); each group is one LP problem.
        Parallel.For(0, groups.Count, new ParallelOptions { CancellationToken = cancellationToken }, g => solved[g] = SolveGroup(groups[g], policy));
        for (var g = 0; g < groups.Count; g++)
            for (var k = 0; k < groups[g].Count; k++)
                result[groups[g][k].Key] = solved[g][k];
        return result;
    }

    /// <summary>The additive quantity a table's cells are built from, or null for statistics without additive structure.</summary>
    internal static string? Quantity(TableSpec spec)
    {
        var weight = spec.Weight is null ? "" : $" weighted by {spec.Weight}";
        return spec.Statistic.Kind switch
        {
            StatisticKind.Count => "count" + weight,
            StatisticKind.Sum or StatisticKind.Mean => $"sum of {spec.Value}{weight}",
            _ => null,
        };
    }

    private static string PopulationKey(TableSpec spec) =>
        string.Join("\u001f", spec.Dataset, spec.Unit, spec.Filter is null ? "" : FilterText(spec.Filter), Quantity(spec));

    private static TableSuppression[] SolveGroup(List<AssessedTable> group, Policy policy)
    {
        var quantity = Quantity(group[0].Table.Spec);
        List<IReadOnlyList<CellAssessment>> hidden;
        try { hidden = group.Select(t => HiddenPrimaries(t.Table, policy)).ToList(); }
        catch (DisclosureInputException e) { return group.Select(t => ErrorFor(group, t, quantity, $"the rows without a category could not be assessed: {e.Message}")).ToArray(); }
        var primaryCount = group.Select(t => t.Assessments.Count(a => a.PrimarySuppressed)).ToArray();
        var leftOut = RowsWithoutCategoryLeftOut(group);
        if (primaryCount.Sum() == 0 && (leftOut || hidden.All(h => h.Count == 0)))
        {
            var linked = group.Count > 1 ? " (nor in the tables linked to it)" : "";
            return group.Select(t => new TableSuppression(new SuppressionVerdict(SuppressionOutcome.NotNeeded,
                $"No secondary suppression needed: no cell is primary-suppressed{linked}.", quantity, Others(group, t), 0, 0, 0, TableTotal(t), 0, 0),
                new Dictionary<int, SuppressedCell>(), false)).ToArray();
        }

        List<TableBuilder> builders;
        try { builders = group.Select((t, k) => leftOut ? Builder(t, null, [], policy) : Builder(t, t.Table.WithMissingCategory, hidden[k], policy)).ToList(); }
        catch (ArgumentException e) { return group.Select(t => ErrorFor(group, t, quantity, $"the suppression problem could not be built: {e.Message}")).ToArray(); }

        if (group.Count > 1)
        {
            SuppressionProblem? problem = null;
            string? whyNot = null;
            try { problem = LinkedTables.Build([.. builders]); }
            catch (ArgumentException e) { whyNot = e.Message; }
            if (problem is not null) return Solve(group, builders, hidden, leftOut, problem, quantity, linkFailed: false);

            // Same population on paper, yet the tables disagree (e.g. rows with an empty category in one of
            // the dimensions are missing from one table only): solve each alone, and say that the combination
            // is not proven.
            var separate = new TableSuppression[group.Count];
            for (var k = 0; k < group.Count; k++)
            {
                var one = Solve([group[k]], [builders[k]], [hidden[k]], leftOut, null, quantity, linkFailed: true)[0];
                var message = one.Verdict.Message + $" The tables {string.Join(", ", group.Select(t => t.Table.Spec.File))} come from the same population "
                    + $"but could not be linked ({whyNot}), so each was suppressed on its own: a person must check that together they do not undo the suppression.";
                separate[k] = one with { Verdict = one.Verdict with { Message = message } };
            }
            return separate;
        }

        return Solve(group, builders, hidden, leftOut, null, quantity, linkFailed: false);
    }

    private static TableSuppression[] Solve(List<AssessedTable> group, List<TableBuilder> builders, List<IReadOnlyList<CellAssessment>> hidden, bool leftOut,
        SuppressionProblem? problem, string? quantity, bool linkFailed)
    {
        SuppressionResult solution;
        var watch = Stopwatch.StartNew();
        try
        {
            problem ??= builders.Count == 1 ? builders[0].Build() : LinkedTables.Build([.. builders]);
            solution = SecondarySuppressor.Run(problem);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return group.Select(t => ErrorFor(group, t, quantity, $"secondary suppression could not run: {e.Message}")).ToArray();
        }
        var seconds = watch.Elapsed.TotalSeconds;

        var byId = solution.Cells.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var outcome = solution.Status switch
        {
            SuppressionStatus.Protected => SuppressionOutcome.Protected,
            SuppressionStatus.CannotBeProtected => SuppressionOutcome.CannotBeProtected,
            _ => SuppressionOutcome.VerificationFailed,
        };
        var output = new TableSuppression[group.Count];
        for (var k = 0; k < group.Count; k++)
        {
            var t = group[k];
            var builder = builders[k];
            var suppressed = new Dictionary<int, SuppressedCell>();
            int secondaries = 0;
            double secondaryValue = 0;
            foreach (var cell in t.Table.Cells)
            {
                if (!byId.TryGetValue(builder.CellId(Coordinates(t.Table, builder, cell, published: true)), out var s)) continue;
                suppressed[cell.Index] = s;
                if (s.Kind == SuppressionKind.Secondary) { secondaries++; secondaryValue += Math.Abs(s.Value); }
            }
            var total = TableTotal(t);
            var primaries = t.Assessments.Count(a => a.PrimarySuppressed);
            var linked = Others(group, t);
            var with = linked.Count > 0 ? $", linked with {string.Join(", ", linked)}" : "";
            string message = outcome switch
            {
                SuppressionOutcome.Protected when secondaries > 0 => string.Create(CultureInfo.InvariantCulture,
                    $"Secondary suppression ({quantity}{with}): {Plural.Count(secondaries, "more cell", "more cells")} must be suppressed (#) so that no primary cell can be recomputed within its protection; information loss {secondaryValue:G6}{(total is > 0 ? $" ({100 * secondaryValue / total.Value:0.##}% of the table total)" : "")}."),
                SuppressionOutcome.Protected when primaries > 0 => $"Secondary suppression ({quantity}{with}): the primary cells cannot be recomputed from what is published; no further cells need to be suppressed.",
                SuppressionOutcome.Protected => $"Secondary suppression ({quantity}{with}): no cell of this table needs to be suppressed.",
                _ => $"Secondary suppression FAILED ({quantity}{with}): {solution.Message} The file cannot be released with this suppression pattern.",
            };
            if (hidden[k].Count > 0)
                message += $" Rows with an empty {string.Join(" or ", MissingDimensions(t.Table))} value are in no cell of this table;"
                    + $" {Plural.Count(hidden[k].Count, "group of them fails", "groups of them fail")} the rules and "
                    + (leftOut
                        ? $"{Plural.Word(hidden[k].Count, "needs", "need")} no further protection: {Plural.Word(group.Count, "this table leaves", "the linked tables all leave")} those rows out of every cell and margin, so nothing published contains them."
                        : $"{Plural.Word(hidden[k].Count, "is", "are")} protected like a primary cell, so {Plural.Word(hidden[k].Count, "it", "they")} cannot be recomputed by subtraction.");
            output[k] = new TableSuppression(new SuppressionVerdict(outcome, message, quantity, linked, primaries, secondaries, secondaryValue, total,
                total is > 0 ? secondaryValue / total.Value : null, seconds), suppressed, linkFailed);
        }
        return output;
    }

    private static TableSuppression ErrorFor(List<AssessedTable> group, AssessedTable t, string? quantity, string reason) =>
        new(new SuppressionVerdict(SuppressionOutcome.Error, $"Secondary suppression FAILED: {reason}. The file cannot be released until this is resolved.",
            quantity, Others(group, t), t.Assessments.Count(a => a.PrimarySuppressed), 0, 0, TableTotal(t), null, 0), new Dictionary<int, SuppressedCell>(), false);

    private static List<string> Others(List<AssessedTable> group, AssessedTable t) =>
        group.Where(o => !ReferenceEquals(o, t)).Select(o => o.Table.Spec.File).ToList();

    /// <summary>The cell's value in the suppression quantity: the count, the sum; for a mean, the sum behind it.</summary>
    internal static double QuantityValue(RecomputedTable table, TableCell cell)
    {
        var e = cell.Evidence;
        return table.Statistic.Kind == StatisticKind.Mean
            ? (table.Spec.Weight is null ? e.Sum : e.WeightedSum ?? 0)
            : e.Value ?? 0;
    }

    private static double? TableTotal(AssessedTable t)
    {
        var table = t.Table;
        if (table.HasMargins)
            return Math.Abs(QuantityValue(table, table[Enumerable.Repeat(TableCell.Total, table.Dimensions.Count).ToArray()]));
        return table.Cells.Sum(c => Math.Abs(QuantityValue(table, c)));
    }

    /// <summary>
    /// True when every table of the group shows every dimension in which rows lack a value, so every published cell and
    /// margin leaves those rows out. Then nothing published contains them: the attacker can learn nothing about them, and
    /// the totals over all rows (which would link them to the published cells) are published by nobody, so the problem
    /// is the published tables alone. Only a table without such a dimension (its cells are totals over it, rows without
    /// a value included) brings them in. One exception keeps them in: a total over all rows that a single unit makes
    /// up, because that unit knows it exactly, and with it how much the known categories can hold at most.
    /// </summary>
    /// <remarks>
    /// Why this is exact: let T = K + E be a total over all rows, K the published known subtotal, E the rows without a
    /// value. For any values of the published cells that satisfy their own relations and bounds, E at its true value
    /// and T = K + E satisfy every relation and bound of the larger problem (the bounds of T are the sums of those of K
    /// and E: both non-negative, or both unbounded). So the attacker's range for every published cell is the same with
    /// or without the rows left out, and for a group of them it is everything its a-priori bounds allow.
    /// </remarks>
    private static bool RowsWithoutCategoryLeftOut(List<AssessedTable> group)
    {
        var missing = group.SelectMany(t => MissingDimensions(t.Table)).ToHashSet(StringComparer.Ordinal);
        if (missing.Count == 0) return false;
        if (!group.All(t => missing.All(column => t.Table.Dimensions.Any(d => d.Column == column)))) return false;
        foreach (var full in group.Select(t => t.Table.WithMissingCategory).OfType<RecomputedTable>())
        {
            var overAllRows = full.Dimensions.Select(d => missing.Contains(d.Column)).ToArray();
            if (full.Cells.Any(c => c.Evidence.UnitsWithValue == 1 && c.Coordinates.Where((x, d) => overAllRows[d] && x == TableCell.Total).Any())) return false;
        }
        return true;
    }

    private static IEnumerable<string> MissingDimensions(RecomputedTable table) =>
        table.WithMissingCategory?.Dimensions.Where(d => d.Categories.Contains(RecomputedTable.MissingLabel)).Select(d => d.Column) ?? [];

    /// <summary>
    /// The cells of rows with an empty dimension value that fail the rules: every cell of
    /// <see cref="RecomputedTable.WithMissingCategory"/> with the empty category in some dimension and at least one
    /// unit (a group of nobody reveals nobody), assessed by the same rules as the published cells.
    /// </summary>
    private static IReadOnlyList<CellAssessment> HiddenPrimaries(RecomputedTable table, Policy policy)
    {
        if (table.WithMissingCategory is not { } full) return [];
        return PrimarySuppressor.Assess(full, policy)
            .Where(a => a.PrimarySuppressed && a.Cell.Evidence.Units > 0 && IsMissingCell(full, a.Cell))
            .ToList();
    }

    private static bool IsMissingCell(RecomputedTable full, TableCell cell) =>
        cell.Coordinates.Select((c, d) => c != TableCell.Total && full.Dimensions[d].Categories[c] == RecomputedTable.MissingLabel).Any(m => m);

    /// <summary>The suppression problem of one table; <paramref name="full"/> is the table over all rows when the rows
    /// without a category are part of the problem, else null (then <paramref name="hidden"/> is empty).</summary>
    private static TableBuilder Builder(AssessedTable t, RecomputedTable? full, IReadOnlyList<CellAssessment> hidden, Policy policy)
    {
        var table = t.Table;
        var dims = table.Dimensions.Select((d, i) => full is not null && full.Dimensions[i].Categories.Contains(RecomputedTable.MissingLabel)
            ? new SpanningVariable(Escape(d.Column), d.Categories.Select(Escape).ToArray(), TotalLabel, MissingLabel, KnownLabel)
            : new SpanningVariable(Escape(d.Column), d.Categories.Select(Escape).ToArray(), TotalLabel)).ToArray();
        var lower = table.HasNegativeValues || full is { HasNegativeValues: true } ? double.NegativeInfinity : 0;
        var builder = new TableBuilder(dims) { DefaultBounds = (lower, double.PositiveInfinity) };
        if (full is null)
        {
            foreach (var cell in table.Cells) builder.Value(FiniteQuantity(table, cell), Coordinates(table, builder, cell, published: true));
            // Without margins, the margins are cells of the population (other tables may publish them), not of this table.
            if (!table.HasMargins) builder.FillMargins();
        }
        else
        {
            // With rows without a category, the values come from the table over all rows (its inner cells, the
            // missing category included); the margins, known subtotals included, are their sums.
            foreach (var cell in full.Cells.Where(c => !c.IsMargin)) builder.Value(FiniteQuantity(full, cell), Coordinates(full, builder, cell, published: false));
            builder.FillMargins();
        }

        // Everything this table does not show (margins of a table without margins, the missing categories, the
        // totals over all rows) is a cell of the population, not of this table: other tables may publish it.
        var shown = table.Cells.Select(c => builder.CellId(Coordinates(table, builder, c, published: true))).ToHashSet(StringComparer.Ordinal);
        var hiddenIds = hidden.Select(a => builder.CellId(Coordinates(full!, builder, a.Cell, published: false))).ToHashSet(StringComparer.Ordinal);
        foreach (var c in builder.AllCoordinates())
        {
            var id = builder.CellId(c);
            if (shown.Contains(id) || hiddenIds.Contains(id)) continue;
            // Known and missing together (empty values in two dimensions): the rules have not seen this group,
            // so it is protected whenever it is not empty (fail closed).
            var value = builder.ValueOf(c);
            if (IsKnownAndMissing(builder, c) && value != 0)
            {
                var frequency = ThresholdRule.FrequencyProtection(value, policy.Suppression);
                builder.Primary(Math.Max(0, Math.Min(frequency, value - lower)), frequency, c);
                continue;
            }
            builder.NotPublished(c);
        }

        AddLargestContributors(builder, table, full, lower);

        foreach (var a in t.Assessments.Where(a => a.PrimarySuppressed))
            AddPrimary(builder, table, a, Coordinates(table, builder, a.Cell, published: true), lower, policy);
        // A failing group of rows without a category: nobody publishes it, yet it could be recomputed by
        // subtraction, so it is a primary (suppressed from the start, an unknown that needs its protection).
        foreach (var a in hidden)
            AddPrimary(builder, full!, a, Coordinates(full!, builder, a.Cell, published: false), lower, policy);
        return builder;
    }

    /// <summary>
    /// What each cell's largest contributor knows of it (at least their own contribution; the cell exactly when
    /// nobody else has a value in it), so that every primary is protected against such an insider too. Only for
    /// unweighted sums and means (the suppressed quantity is then the sum of the contributions) of non-negative data;
    /// the cells over all rows too, where rows lack a category.
    /// </summary>
    private static void AddLargestContributors(TableBuilder builder, RecomputedTable table, RecomputedTable? full, double lower)
    {
        if (table.Spec.Weight is not null || lower < 0 || table.Statistic.Kind is not (StatisticKind.Sum or StatisticKind.Mean)) return;
        void Add(RecomputedTable source, bool published)
        {
            foreach (var cell in source.Cells)
            {
                var e = cell.Evidence;
                if (e.UnitsWithValue == 0 || e.Negatives > 0 || !(e.X1 > 0)) continue;
                builder.LargestContributor(Math.Min(e.X1, e.Sum), e.UnitsWithValue == 1, e.LargestUnit, Coordinates(source, builder, cell, published));
            }
        }
        Add(table, published: true);
        if (full is not null) Add(full, published: false);
    }

    private static double FiniteQuantity(RecomputedTable table, TableCell cell)
    {
        var value = QuantityValue(table, cell);
        return double.IsFinite(value) ? value : throw new ArgumentException($"cell {table.CellId(cell)} has no finite {Quantity(table.Spec)}");
    }

    private static bool IsKnownAndMissing(TableBuilder builder, string[] coordinates) =>
        coordinates.Contains(MissingLabel) && coordinates.Select((label, d) => label == builder.Dimensions[d].KnownLabel).Any(k => k);

    private static void AddPrimary(TableBuilder builder, RecomputedTable table, CellAssessment a, string[] coordinates, double lower, Policy policy)
    {
        var value = QuantityValue(table, a.Cell);
        double lowerProtection = a.ProtectionLower ?? 0, upperProtection = a.ProtectionUpper ?? 0;
        if (table.Statistic.Kind == StatisticKind.Mean)
        {
            // Frequency-type protections were computed on the mean; a mean is protected through its sum.
            var frequency = ThresholdRule.FrequencyProtection(value, policy.Suppression);
            lowerProtection = Math.Max(lowerProtection, frequency);
            upperProtection = Math.Max(upperProtection, frequency);
        }
        if (!double.IsFinite(lowerProtection) || !double.IsFinite(upperProtection))
            throw new ArgumentException($"cell {table.CellId(a.Cell)} has no finite required protection");
        // Nobody needs to be shown values below what everyone knows (0 for non-negative data).
        lowerProtection = Math.Max(0, Math.Min(lowerProtection, value - lower));
        if (lowerProtection == 0 && upperProtection <= 0) upperProtection = Math.Max(policy.Suppression.MinimumProtection, 1);
        builder.Primary(lowerProtection, upperProtection, coordinates);
    }

    /// <summary>
    /// The suppression coordinates of a cell. <paramref name="published"/>: a cell of the published table, whose
    /// margin is the known subtotal where rows lack a category; else a cell of the table over all rows, whose
    /// margins are the totals and whose empty category is the missing category.
    /// </summary>
    private static string[] Coordinates(RecomputedTable table, TableBuilder builder, TableCell cell, bool published)
    {
        var result = new string[cell.Coordinates.Count];
        for (var d = 0; d < result.Length; d++)
        {
            var dim = builder.Dimensions[d];
            var c = cell.Coordinates[d];
            if (c == TableCell.Total) result[d] = published ? dim.PublishedTotalLabel : dim.TotalLabel;
            else if (!published && table.Dimensions[d].Categories[c] == RecomputedTable.MissingLabel) result[d] = dim.MissingLabel!;
            else result[d] = dim.Categories[c];
        }
        return result;
    }

    // Suppression ids reserve '=' and ';'; labels from the data may hold anything.
    private static string Escape(string label) =>
        label.Replace("%", "%25", StringComparison.Ordinal).Replace("=", "%3D", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal);

    /// <summary>A canonical text of a filter (for grouping tables by population).</summary>
    internal static string FilterText(FilterExpression filter)
    {
        var sb = new StringBuilder();
        void Literal(FilterLiteral l) => sb.Append(l.IsNumber ? "n:" + l.Number.ToString("R", CultureInfo.InvariantCulture) : "s:" + l.Text!.Length.ToString(CultureInfo.InvariantCulture) + ":" + l.Text);
        void Write(FilterExpression f)
        {
            switch (f)
            {
                case AndFilter a: sb.Append("(and "); Write(a.Left); sb.Append(' '); Write(a.Right); sb.Append(')'); break;
                case OrFilter o: sb.Append("(or "); Write(o.Left); sb.Append(' '); Write(o.Right); sb.Append(')'); break;
                case NotFilter n: sb.Append("(not "); Write(n.Inner); sb.Append(')'); break;
                case CompareFilter c: sb.Append("(cmp ").Append(c.Operator).Append(' ').Append(c.Column.Length).Append(':').Append(c.Column).Append(' '); Literal(c.Literal); sb.Append(')'); break;
                case InFilter i:
                    sb.Append("(in ").Append(i.Column.Length).Append(':').Append(i.Column);
                    foreach (var item in i.Items) { sb.Append(' '); Literal(item); }
                    sb.Append(')');
                    break;
                default: throw new InvalidOperationException($"unknown filter node {f.GetType().Name}");
            }
        }
        Write(filter);
        return sb.ToString();
    }
}
