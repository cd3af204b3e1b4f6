namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>A suppressed cell in the output; a primary with the interval an attacker can derive for it.</summary>
/// <param name="Id">Cell id.</param>
/// <param name="Value">True value (confidential: never publish).</param>
/// <param name="Kind">Primary or secondary.</param>
/// <param name="Interval">Attacker's feasible interval computed by <see cref="AttackerModel"/>; null for a secondary, which needs
/// no protection of its own, so its interval is not computed (two linear programs per cell, most of the verification's time).</param>
/// <param name="RequiredLower">Lowest value the interval must reach (<c>value - lower protection</c>; the value itself for secondaries).</param>
/// <param name="RequiredUpper">Highest value the interval must reach (<c>value + upper protection</c>; the value itself for secondaries).</param>
/// <param name="MeetsRequirement">True when the interval covers the required range (always true for secondaries, which need no protection).</param>
public sealed record SuppressedCell(
    string Id,
    double Value,
    SuppressionKind Kind,
    FeasibleInterval? Interval,
    double RequiredLower,
    double RequiredUpper,
    bool MeetsRequirement);
