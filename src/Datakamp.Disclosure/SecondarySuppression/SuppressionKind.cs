namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>Why a cell is suppressed.</summary>
public enum SuppressionKind
{
    /// <summary>Unsafe itself (input).</summary>
    Primary,

    /// <summary>Complementary cell chosen to protect primary cells.</summary>
    Secondary,
}
