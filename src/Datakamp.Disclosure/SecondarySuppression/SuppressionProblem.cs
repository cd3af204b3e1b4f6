using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// A validated secondary-suppression problem: cells, additive relations between them and, per cell,
/// protection requirements, a-priori bounds and costs. Cells are addressed by index (order of input).
/// </summary>
public sealed class SuppressionProblem
{
    private readonly Dictionary<string, int> _index;

    /// <summary>Validates and indexes the problem.</summary>
    /// <param name="cells">All cells; ids must be unique.</param>
    /// <param name="relations">Additive relations; every id must be a cell, and the true values must satisfy them.</param>
    /// <param name="additivityTolerance">Absolute tolerance for checking that true values satisfy each relation; null: 1e-9 × (1 + |total| + Σ|parts|).</param>
    public SuppressionProblem(IEnumerable<SuppressionCell> cells, IEnumerable<RelationByCellId> relations, double? additivityTolerance = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(relations);
        Cells = cells.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Cells.Count; i++)
        {
            var c = Cells[i];
            if (string.IsNullOrEmpty(c.Id))
            {
                throw new ArgumentException("A cell has an empty id.");
            }

            if (!_index.TryAdd(c.Id, i))
            {
                throw new ArgumentException($"Duplicate cell id '{c.Id}'.");
            }

            Validate(c);
        }

        var rels = new List<AdditiveRelation>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in relations)
        {
            var total = IndexOf(r.TotalId);
            var parts = r.PartIds.Select(IndexOf).ToArray();
            if (parts.Length == 0)
            {
                throw new ArgumentException($"Relation with total '{r.TotalId}' has no parts.");
            }

            if (parts.Contains(total) || parts.Distinct().Count() != parts.Length)
            {
                throw new ArgumentException($"Relation '{r}' repeats a cell.");
            }

            var sum = parts.Sum(p => Cells[p].Value);
            var scale = 1 + Math.Abs(Cells[total].Value) + parts.Sum(p => Math.Abs(Cells[p].Value));
            var tolerance = additivityTolerance ?? 1e-9 * scale;
            if (Math.Abs(sum - Cells[total].Value) > tolerance)
            {
                throw new ArgumentException($"Relation '{r}' does not hold for the true values: {Cells[total].Value} ≠ {sum}.");
            }

            // Duplicate relations (e.g. from linked tables) add nothing.
            var key = total + ":" + string.Join(",", parts.Order());
            if (seen.Add(key))
            {
                rels.Add(new AdditiveRelation(total, parts));
            }
        }

        Relations = rels;
    }

    /// <summary>The cells, in input order.</summary>
    public IReadOnlyList<SuppressionCell> Cells { get; }

    /// <summary>The distinct relations, by cell index.</summary>
    public IReadOnlyList<AdditiveRelation> Relations { get; }

    /// <summary>Indices of the primary cells.</summary>
    public IEnumerable<int> PrimaryIndices => Enumerable.Range(0, Cells.Count).Where(i => Cells[i].IsPrimary);

    /// <summary>Indices of the cells no table publishes (unknown to the attacker from the start).</summary>
    public IEnumerable<int> UnpublishedIndices => Enumerable.Range(0, Cells.Count).Where(i => !Cells[i].IsPublished);

    /// <summary>Index of a cell id.</summary>
    public int IndexOf(string id) =>
        _index.TryGetValue(id, out var i) ? i : throw new KeyNotFoundException($"Unknown cell id '{id}'.");

    /// <summary>True when the id is a cell of this problem.</summary>
    public bool Contains(string id) => _index.ContainsKey(id);

    private static void Validate(SuppressionCell c)
    {
        if (!double.IsFinite(c.Value))
        {
            throw new ArgumentException($"Cell '{c.Id}' has a non-finite value.");
        }

        if (double.IsNaN(c.LowerBound) || double.IsNaN(c.UpperBound) || double.IsPositiveInfinity(c.LowerBound) || double.IsNegativeInfinity(c.UpperBound))
        {
            throw new ArgumentException($"Cell '{c.Id}' has invalid a-priori bounds.");
        }

        if (c.Value < c.LowerBound || c.Value > c.UpperBound)
        {
            throw new ArgumentException($"Cell '{c.Id}' value {c.Value} lies outside its a-priori bounds [{c.LowerBound}, {c.UpperBound}].");
        }

        if (!(c.LowerProtection >= 0) || !(c.UpperProtection >= 0) || !double.IsFinite(c.LowerProtection) || !double.IsFinite(c.UpperProtection))
        {
            throw new ArgumentException($"Cell '{c.Id}' has invalid protection amounts (must be finite and ≥ 0).");
        }

        if (c.IsPrimary && c.LowerProtection == 0 && c.UpperProtection == 0)
        {
            throw new ArgumentException($"Primary cell '{c.Id}' needs a positive lower or upper protection; with none, exact disclosure would count as protected.");
        }

        if (!c.IsPrimary && (c.LowerProtection > 0 || c.UpperProtection > 0))
        {
            throw new ArgumentException($"Cell '{c.Id}' requires protection but is not primary.");
        }

        if (c.IsPrimary && !c.IsPublished)
        {
            throw new ArgumentException($"Primary cell '{c.Id}' is not published; only published cells can be primary.");
        }

        if (c.LargestContributor is { } insider
            && (!double.IsFinite(insider.Contribution) || insider.Contribution < 0 || insider.Contribution > c.Value + (1e-9 * (1 + Math.Abs(c.Value)))
                || insider.Contribution < c.LowerBound - (1e-9 * (1 + Math.Abs(c.Value)))))
        {
            throw new ArgumentException($"Cell '{c.Id}' has a largest contribution {insider.Contribution} outside [0, {c.Value}] or below its a-priori lower bound.");
        }

        if (!(c.EffectiveCost >= 0) || !double.IsFinite(c.EffectiveCost))
        {
            throw new ArgumentException($"Cell '{c.Id}' has an invalid cost.");
        }
    }
}
