using Datakamp.Disclosure.SecondarySuppression;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// The warm deviation program answers every question as a program built for that question alone would: the same
/// status, and a deviation that keeps every relation, stays within its bounds and costs the same (the optimum).
/// </summary>
public sealed class DeviationModelTests
{
    private const double BeyondPrice = 1000;

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void A_warm_program_asked_many_questions_answers_each_like_a_program_built_for_it(int seed)
    {
        var problem = RandomTables.Create(seed, dimensionsOverride: 2, maxCategories: 10).Build();
        var rng = new Random(seed);
        // The primaries and a third of the other cells suppressed: paths of every length between them.
        var suppressed = Enumerable.Range(0, problem.Cells.Count).Where(c => problem.Cells[c].IsPrimary || rng.NextDouble() < 0.33).ToHashSet();
        var insiders = suppressed.Where(c => !problem.Cells[c].IsPrimary && rng.NextDouble() < 0.5)
            .ToDictionary(c => c, c => Knows(problem.Cells[c].Value));
        using var warm = new DeviationModel(problem, suppressed, BeyondPrice);

        var questions = 0;
        foreach (var p in suppressed.Where(c => problem.Cells[c].IsPrimary))
        {
            var cell = problem.Cells[p];
            foreach (var deviation in new[] { cell.UpperProtection, -Math.Min(cell.LowerProtection, cell.Value - cell.LowerBound) }.Where(d => d != 0))
            {
                Dictionary<int, (double Lower, double Upper)>? none = null;
                foreach (var (knowledge, avoid) in new[] { (none, none), (insiders, none), (none, insiders) })
                {
                    using var cold = new DeviationModel(problem, suppressed, BeyondPrice);
                    var expected = cold.Smallest(p, deviation, knowledge, avoid);
                    var actual = warm.Smallest(p, deviation, knowledge, avoid);
                    questions++;

                    Assert.Equal(expected.Status, actual.Status);
                    if (actual.Status != SearchStatus.Found) continue;
                    AssertKeepsRelationsAndBounds(problem, suppressed, p, deviation, actual.Deviation, knowledge);
                    var scale = Math.Max(1, Math.Abs(deviation));
                    Assert.Equal(Cost(problem, expected.Deviation, avoid) / scale, Cost(problem, actual.Deviation, avoid) / scale, 6);
                }
            }
        }

        Assert.True(questions > 20, $"only {questions} questions were asked");
    }

    // An insider who knows the cell to within 10% either way.
    private static (double Lower, double Upper) Knows(double value) => (Math.Min(0.9 * value, 1.1 * value), Math.Max(0.9 * value, 1.1 * value));

    private static void AssertKeepsRelationsAndBounds(SuppressionProblem problem, HashSet<int> suppressed, int primary, double deviation,
        IReadOnlyDictionary<int, double> moved, IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge)
    {
        var y = new Dictionary<int, double>(moved) { [primary] = deviation };
        var tolerance = 1e-6 * Math.Max(1, Math.Abs(deviation));
        foreach (var relation in problem.Relations)
        {
            var balance = relation.Parts.Sum(c => y.GetValueOrDefault(c)) - y.GetValueOrDefault(relation.Total);
            Assert.True(Math.Abs(balance) <= tolerance, $"a relation is off by {balance}");
        }

        foreach (var (c, move) in moved)
        {
            Assert.Contains(c, suppressed);
            var cell = problem.Cells[c];
            var (lower, upper) = knowledge is not null && knowledge.TryGetValue(c, out var k) ? k : (cell.LowerBound, cell.UpperBound);
            Assert.InRange(cell.Value + move, lower - tolerance, upper + tolerance);
        }
    }

    /// <summary>The program's objective: every unit of move costs 1, beyond an avoided insider's knowledge the high price.</summary>
    private static double Cost(SuppressionProblem problem, IReadOnlyDictionary<int, double> moved, IReadOnlyDictionary<int, (double Lower, double Upper)>? avoid)
    {
        var cost = 0.0;
        foreach (var (c, y) in moved)
        {
            var cell = problem.Cells[c];
            var within = Math.Abs(y);
            if (avoid is not null && avoid.TryGetValue(c, out var known))
            {
                within = Math.Min(within, Math.Max(0, y > 0 ? known.Upper - cell.Value : cell.Value - known.Lower));
            }

            cost += within + (BeyondPrice * (Math.Abs(y) - within));
        }

        return cost;
    }
}
