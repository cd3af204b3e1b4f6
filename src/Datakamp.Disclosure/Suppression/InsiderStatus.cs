namespace Datakamp.Disclosure.Suppression;

/// <summary>Outcome of an <see cref="InsiderCheck"/>.</summary>
internal enum InsiderStatus
{
    /// <summary>No insider can narrow the primary below its requirement.</summary>
    Safe,

    /// <summary>The insider of <see cref="InsiderFinding.Insider"/> can.</summary>
    Breach,

    /// <summary>A linear program did not finish cleanly: not known (fail closed).</summary>
    NotEvaluated,
}
