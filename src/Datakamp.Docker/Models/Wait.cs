namespace Datakamp.Docker;

/// <summary>What <c>POST /containers/{id}/wait</c> waits for.</summary>
public enum WaitCondition
{
    /// <summary><c>not-running</c>: returns at once if the container is not running.</summary>
    NotRunning,

    /// <summary><c>next-exit</c>: the next time the container exits.</summary>
    NextExit,

    /// <summary><c>removed</c>: until the container is removed.</summary>
    Removed,
}

/// <summary>The answer to a wait: the exit code, and the engine's error if it could not wait.</summary>
public sealed record ContainerWaitResult(long StatusCode, WaitError? Error);

/// <summary>The <c>Error</c> object of a wait response.</summary>
public sealed record WaitError(string? Message);
