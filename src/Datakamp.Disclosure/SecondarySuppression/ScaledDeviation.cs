namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>A kept deviation times a factor: how far each cell moves (0 for a cell it leaves alone).</summary>
internal readonly record struct ScaledDeviation(IReadOnlyDictionary<int, double> Moves, double Factor)
{
    public double Of(int cell) => Moves.TryGetValue(cell, out var y) ? y * Factor : 0;
}
