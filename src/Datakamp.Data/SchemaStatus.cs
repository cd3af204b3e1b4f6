namespace Datakamp.Data;

/// <summary>How far the database's schema is from what this build of Datakamp knows.</summary>
public sealed record SchemaStatus(int AppliedVersion, int LatestKnownVersion)
{
    public bool IsCurrent => AppliedVersion == LatestKnownVersion;
}
