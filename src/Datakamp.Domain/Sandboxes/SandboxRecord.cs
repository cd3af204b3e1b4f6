namespace Datakamp.Domain.Sandboxes;

/// <summary>A team's sandbox as stored: desired state, the container's name and id, the IDE token, the generation.</summary>
public sealed record SandboxRecord(
    long TeamId, Slug EventSlug, Slug TeamSlug, long EventId, SandboxDesiredState DesiredState, string ContainerName, string? ContainerId,
    string IdeToken, int Generation, string? LastError);
