namespace Datakamp.Docker;

/// <summary>The answer to a wait: the exit code, and the engine's error if it could not wait.</summary>
public sealed record ContainerWaitResult(long StatusCode, WaitError? Error);

/// <summary>The <c>Error</c> object of a wait response.</summary>
public sealed record WaitError(string? Message);
