namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// How far a cell may move in a deviation: up and down within its bounds (an insider's knowledge in place of the
/// a-priori bounds where given), split into the part within what an insider to avoid knows and the part beyond it,
/// which the searches price higher.
/// </summary>
internal readonly record struct MoveRoom(double Up, double Down, double UpBeyond, double DownBeyond)
{
    /// <param name="c">The cell's index.</param>
    /// <param name="cell">The cell.</param>
    /// <param name="knowledge">Bounds that replace the a-priori ones (an insider's); null for an outsider.</param>
    /// <param name="avoid">Bounds beyond which a move is priced higher (the insiders to avoid); null for none.</param>
    public static MoveRoom Of(int c, SuppressionCell cell,
        IReadOnlyDictionary<int, (double Lower, double Upper)>? knowledge, IReadOnlyDictionary<int, (double Lower, double Upper)>? avoid)
    {
        var (lower, upper) = knowledge is not null && knowledge.TryGetValue(c, out var known) ? known : (cell.LowerBound, cell.UpperBound);
        var (up, down) = (upper - cell.Value, cell.Value - lower);
        var (upWithin, downWithin) = (up, down);
        if (avoid is not null && avoid.TryGetValue(c, out var insider))
        {
            upWithin = Math.Clamp(insider.Upper - cell.Value, 0, up);
            downWithin = Math.Clamp(cell.Value - insider.Lower, 0, down);
        }

        // Unbounded room (∞ − ∞) has nothing beyond.
        return new MoveRoom(upWithin, downWithin, up > upWithin ? up - upWithin : 0, down > downWithin ? down - downWithin : 0);
    }
}
