using Datakamp.Domain.Sandboxes;

namespace Datakamp.Host.Sandboxes;

/// <summary>A sandbox as staff see it: what is wanted, and what the engine says it is.</summary>
public sealed record SandboxStatus(
    string EventSlug, string TeamSlug, SandboxDesiredState Desired, string Actual, bool Running,
    long? ExitCode, bool OomKilled, string? ContainerId, string? LastError)
{
    public const string Missing = "missing";
}
