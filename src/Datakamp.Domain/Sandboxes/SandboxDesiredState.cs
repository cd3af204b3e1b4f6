namespace Datakamp.Domain.Sandboxes;

/// <summary>What staff (or the team) want a sandbox to be. What it actually is comes from the engine.</summary>
public enum SandboxDesiredState
{
    Stopped,
    Running,
}
