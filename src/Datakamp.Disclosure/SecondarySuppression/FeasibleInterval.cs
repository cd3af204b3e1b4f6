namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>
/// The interval an attacker can derive for a suppressed cell from the published cells, the additive
/// relations and the a-priori bounds. Bounds may be infinite. <see cref="Reliable"/> is false when a
/// linear program behind it did not finish cleanly; such an interval must be treated as a disclosure.
/// </summary>
public sealed record FeasibleInterval(double Lower, double Upper, bool Reliable = true)
{
    /// <summary>Width of the interval (may be +∞).</summary>
    public double Width => Upper - Lower;

    /// <summary>True when the interval reaches <c>value - lower</c> and <c>value + upper</c> (within <paramref name="tolerance"/>).</summary>
    public bool Covers(double value, double lower, double upper, double tolerance) =>
        Reliable && Lower <= value - lower + tolerance && Upper >= value + upper - tolerance;

    /// <inheritdoc />
    public override string ToString() => $"[{Lower}, {Upper}]{(Reliable ? string.Empty : " (unreliable)")}";
}
