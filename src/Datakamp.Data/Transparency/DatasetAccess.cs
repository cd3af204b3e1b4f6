namespace Datakamp.Data.Transparency;

/// <summary>
/// Who had access to one dataset, when, and what came out of it: the sandbox starts of teams while they were granted it
/// (their sandboxes mount every dataset in force for the team), the IDE sessions in which it was mounted, and the
/// published outputs computed from it.
/// </summary>
public sealed record DatasetAccess(
    IReadOnlyList<DatasetAccess.SandboxStart> SandboxStarts,
    IReadOnlyList<DatasetAccess.IdeSession> IdeSessions,
    IReadOnlyList<DatasetAccess.ReleasedOutput> ReleasedOutputs)
{
    public sealed record SandboxStart(DateTimeOffset At, string Actor, string Team);

    public sealed record IdeSession(DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, string Actor, string Team, string? CloseReason);

    public sealed record ReleasedOutput(long RequestId, string Team, string File, string Purpose, DateTimeOffset PublishedAt, DateTimeOffset? RevokedAt);
}
