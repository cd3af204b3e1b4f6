using System.Text.Json.Serialization;

namespace Datakamp.Docker;

/// <summary>
/// What <c>POST /containers/create</c> needs: the container config plus its <see cref="HostConfig"/>.
/// Property names are the Engine API's; null properties are left out of the request, so the engine's defaults apply.
/// </summary>
public sealed record ContainerSpec
{
    /// <summary>The container name (sent as the <c>name</c> query parameter, not in the body). Null: the engine picks one.</summary>
    [JsonIgnore]
    public string? Name { get; init; }

    /// <summary>A local image reference; the engine never pulls on create.</summary>
    public required string Image { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary><c>KEY=value</c> entries: an explicit environment only.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary><c>uid</c>, <c>uid:gid</c> or a user name known in the image.</summary>
    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public HostConfig? HostConfig { get; init; }
}

/// <summary>
/// The host side of a container: network, mounts, limits and hardening. Used for the create request and
/// for the echo in <c>GET /containers/{id}/json</c>.
/// </summary>
public sealed record HostConfig
{
    /// <summary><c>none</c> for sandboxes: a container on a bridge network can reach services listening on the host.</summary>
    public string? NetworkMode { get; init; }

    /// <summary>Legacy <c>host:container[:ro]</c> bind strings. Prefer <see cref="Mounts"/>.</summary>
    public IReadOnlyList<string>? Binds { get; init; }

    public IReadOnlyList<Mount>? Mounts { get; init; }

    public bool? ReadonlyRootfs { get; init; }

    /// <summary>Container path to mount options, e.g. <c>/tmp</c> to <c>rw,noexec,nosuid,size=64m</c>.</summary>
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }

    public IReadOnlyList<string>? CapDrop { get; init; }

    public IReadOnlyList<string>? SecurityOpt { get; init; }

    public long? PidsLimit { get; init; }

    /// <summary>Memory limit in bytes.</summary>
    public long? Memory { get; init; }

    /// <summary>Memory plus swap in bytes: set equal to <see cref="Memory"/> for no swap.</summary>
    public long? MemorySwap { get; init; }

    /// <summary>CPU quota in units of 1e-9 CPUs.</summary>
    public long? NanoCpus { get; init; }

    /// <summary>Run an init process as PID 1 (signals forwarded, zombies reaped, stop in milliseconds).</summary>
    public bool? Init { get; init; }

    /// <summary><c>private</c> for sandboxes (<c>none</c> removes /dev/shm).</summary>
    public string? IpcMode { get; init; }

    public IReadOnlyList<Ulimit>? Ulimits { get; init; }

    public LogConfig? LogConfig { get; init; }

    public RestartPolicy? RestartPolicy { get; init; }

    /// <summary>An OCI runtime registered with the engine (e.g. <c>runsc</c>); null: the engine's default.</summary>
    public string? Runtime { get; init; }
}

/// <summary>One entry of <c>HostConfig.Mounts</c>.</summary>
public sealed record Mount
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public required string Type { get; init; }

    public string? Source { get; init; }

    public required string Target { get; init; }

    public bool? ReadOnly { get; init; }

    public BindOptions? BindOptions { get; init; }

    public TmpfsOptions? TmpfsOptions { get; init; }
}

/// <summary>Options of a bind mount.</summary>
public sealed record BindOptions
{
    public string? Propagation { get; init; }

    /// <summary>
    /// Do not bind submounts. On engine 20.10 a read-only bind is not recursively read-only, so a read-only
    /// data mount should be non-recursive: a mount below it would otherwise stay writable.
    /// </summary>
    public bool? NonRecursive { get; init; }
}

/// <summary>Options of a tmpfs mount.</summary>
public sealed record TmpfsOptions
{
    public long? SizeBytes { get; init; }

    public int? Mode { get; init; }
}

/// <summary>A resource limit, e.g. <c>nofile</c>.</summary>
public sealed record Ulimit(string Name, long Soft, long Hard);

/// <summary>The log driver and its options, e.g. <c>json-file</c> with <c>max-size</c> and <c>max-file</c>.</summary>
public sealed record LogConfig(string Type, IReadOnlyDictionary<string, string>? Config = null);

/// <summary><c>no</c>, <c>always</c>, <c>unless-stopped</c> or <c>on-failure</c> (with a retry count).</summary>
public sealed record RestartPolicy(string Name, int MaximumRetryCount = 0);

/// <summary>The answer to a create: the new container's id and the engine's warnings.</summary>
public sealed record ContainerCreateResponse(string Id, IReadOnlyList<string>? Warnings);

/// <summary>
/// A spec as JSON in the Engine API's property names (nulls left out), for callers that fingerprint or log a spec. The
/// sandbox manager labels each container with a hash of this text, so it must stay the same from release to release
/// for the same spec: a change would make every running sandbox look out of date and be replaced once.
/// </summary>
public static class ContainerSpecJson
{
    public static string Serialize(ContainerSpec spec) =>
        System.Text.Json.JsonSerializer.Serialize(spec, ContainerSpecJsonContext.Default.ContainerSpec);
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerSpec))]
internal sealed partial class ContainerSpecJsonContext : JsonSerializerContext;
