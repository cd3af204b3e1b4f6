namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>Overall verdict of secondary suppression. Only <see cref="Protected"/> may be published.</summary>
public enum SuppressionStatus
{
    /// <summary>Every primary cell meets its protection requirement (verified by the attacker LP).</summary>
    Protected,

    /// <summary>
    /// At least one primary cell cannot reach its required protection even if every suppressible cell were
    /// suppressed (e.g. a-priori bounds too tight, or cells that must stay published). Do not publish.
    /// </summary>
    CannotBeProtected,

    /// <summary>The final verification found an under-protected cell or an LP failed numerically. Do not publish.</summary>
    VerificationFailed,
}
