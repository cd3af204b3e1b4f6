namespace Datakamp.Disclosure.Suppression;

/// <summary>What an <see cref="InsiderCheck"/> found: the insider's cell and knowledge when it is a breach.</summary>
internal sealed record InsiderFinding(InsiderStatus Status, int Insider, IReadOnlyDictionary<int, (double Lower, double Upper)>? Knowledge)
{
    public static InsiderFinding Safe { get; } = new(InsiderStatus.Safe, -1, null);

    public static InsiderFinding NotEvaluated { get; } = new(InsiderStatus.NotEvaluated, -1, null);
}
