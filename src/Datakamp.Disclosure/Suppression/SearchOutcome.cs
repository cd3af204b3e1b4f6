namespace Datakamp.Disclosure.Suppression;

/// <summary>Outcome of a <see cref="ProtectionSearch"/>.</summary>
internal sealed record SearchOutcome(SearchStatus Status, IReadOnlyList<int> Added)
{
    public static SearchOutcome Impossible { get; } = new(SearchStatus.Impossible, []);

    public static SearchOutcome Failed { get; } = new(SearchStatus.Failed, []);
}
