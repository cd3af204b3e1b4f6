namespace Datakamp.Disclosure.SecondarySuppression;

/// <summary>Status of a <see cref="ProtectionSearch"/>.</summary>
internal enum SearchStatus
{
    /// <summary>A protecting deviation exists once <see cref="SearchOutcome.Added"/> are suppressed.</summary>
    Found,

    /// <summary>No deviation exists even when every allowed cell moves.</summary>
    Impossible,

    /// <summary>The LP did not finish cleanly; treat as not protected.</summary>
    Failed,
}
