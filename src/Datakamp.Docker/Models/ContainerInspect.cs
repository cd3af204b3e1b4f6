namespace Datakamp.Docker;

/// <summary>The parts of <c>GET /containers/{id}/json</c> we use.</summary>
public sealed record ContainerInspect
{
    public required string Id { get; init; }

    /// <summary>The name with the engine's leading slash, e.g. <c>/datakamp-team-a</c>.</summary>
    public string? Name { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>The image id (<c>sha256:...</c>).</summary>
    public string? Image { get; init; }

    public required ContainerState State { get; init; }

    public ContainerConfig? Config { get; init; }

    public HostConfig? HostConfig { get; init; }

    public NetworkSettings? NetworkSettings { get; init; }

    public IReadOnlyList<MountPoint>? Mounts { get; init; }

    public int RestartCount { get; init; }
}

/// <summary><c>State</c> of an inspected container.</summary>
public sealed record ContainerState
{
    /// <summary><c>created</c>, <c>running</c>, <c>paused</c>, <c>restarting</c>, <c>removing</c>, <c>exited</c> or <c>dead</c>.</summary>
    public required string Status { get; init; }

    public bool Running { get; init; }

    public bool Paused { get; init; }

    public bool Restarting { get; init; }

    public bool OOMKilled { get; init; }

    public bool Dead { get; init; }

    public int Pid { get; init; }

    public long ExitCode { get; init; }

    /// <summary>Why the engine could not run the container (empty when none).</summary>
    public string? Error { get; init; }

    /// <summary><see cref="DateTimeOffset.MinValue"/> (<c>0001-01-01T00:00:00Z</c>) if never started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary><see cref="DateTimeOffset.MinValue"/> if it has not finished.</summary>
    public DateTimeOffset FinishedAt { get; init; }
}

/// <summary><c>Config</c> of an inspected container (image defaults merged in by the engine).</summary>
public sealed record ContainerConfig
{
    public string? Image { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public string? Hostname { get; init; }

    public bool Tty { get; init; }
}

/// <summary><c>NetworkSettings</c> of an inspected container.</summary>
public sealed record NetworkSettings
{
    /// <summary>Networks by name; under <c>NetworkMode: none</c> only <c>none</c>, with no address.</summary>
    public IReadOnlyDictionary<string, EndpointSettings>? Networks { get; init; }

    public string? IPAddress { get; init; }

    public string? Gateway { get; init; }

    public string? SandboxKey { get; init; }
}

/// <summary>A container's endpoint on one network.</summary>
public sealed record EndpointSettings
{
    public string? NetworkID { get; init; }

    public string? EndpointID { get; init; }

    public string? Gateway { get; init; }

    public string? IPAddress { get; init; }

    public int IPPrefixLen { get; init; }

    public string? MacAddress { get; init; }
}

/// <summary>One entry of the inspected container's <c>Mounts</c> (what is mounted, as the engine resolved it).</summary>
public sealed record MountPoint
{
    public string? Type { get; init; }

    public string? Name { get; init; }

    public string? Source { get; init; }

    public string? Destination { get; init; }

    public string? Mode { get; init; }

    public bool RW { get; init; }

    public string? Propagation { get; init; }
}
