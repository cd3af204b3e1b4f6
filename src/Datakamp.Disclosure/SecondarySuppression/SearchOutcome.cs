using Datakamp.Disclosure.SecondarySuppression.LinearProgramming;

namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>Outcome of a <see cref="ProtectionSearch"/>.</summary>
internal sealed record SearchOutcome(SearchStatus Status, IReadOnlyList<int> Added)
{
    /// <summary>When found: how far each other cell moves with the primary (cells that stay put are left out).</summary>
    public IReadOnlyDictionary<int, double> Deviation { get; init; } = new Dictionary<int, double>();

    /// <summary>When found while avoiding insiders' cells: whether some cell had to move beyond what its insider knows.</summary>
    public bool BeyondKnowledge { get; init; }

    public static SearchOutcome Impossible { get; } = new(SearchStatus.Impossible, []);

    public static SearchOutcome Failed { get; } = new(SearchStatus.Failed, []);

    /// <summary>The outcome of a program that did not end optimal: infeasible is Impossible, anything else Failed; null when optimal.</summary>
    public static SearchOutcome? WhenNotOptimal(LpStatus status) => status switch
    {
        LpStatus.Optimal => null,
        LpStatus.Infeasible => Impossible,
        _ => Failed,
    };
}
