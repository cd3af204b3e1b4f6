using System.Globalization;
using Lib = Docker.DotNet.Models;

namespace Datakamp.Docker;

/// <summary>
/// Our models to and from Docker.DotNet's, for <see cref="DockerDotNetEngine"/>. The rest of Datakamp keeps coding
/// against our records; only this file knows the library's shapes.
/// </summary>
/// <remarks>
/// The library's numbers and flags are not nullable, but it leaves zero and false out of the request body, so an
/// unset (null) value of ours and a zero of the library's both leave the engine's default in place.
/// </remarks>
internal static class DockerDotNetMapping
{
    public static Lib.CreateContainerParameters ToLibrary(ContainerSpec spec) => new()
    {
        Name = spec.Name,
        Image = spec.Image,
        Cmd = spec.Cmd?.ToList(),
        Entrypoint = spec.Entrypoint?.ToList(),
        Env = spec.Env?.ToList(),
        Labels = spec.Labels?.ToDictionary(),
        User = spec.User,
        WorkingDir = spec.WorkingDir,
        HostConfig = spec.HostConfig is { } hostConfig ? ToLibrary(hostConfig) : null,
    };

    private static Lib.HostConfig ToLibrary(HostConfig host) => new()
    {
        NetworkMode = host.NetworkMode,
        Binds = host.Binds?.ToList(),
        Mounts = host.Mounts?.Select(ToLibrary).ToList(),
        ReadonlyRootfs = host.ReadonlyRootfs ?? false,
        Tmpfs = host.Tmpfs?.ToDictionary(),
        CapDrop = host.CapDrop?.ToList(),
        SecurityOpt = host.SecurityOpt?.ToList(),
        PidsLimit = host.PidsLimit,
        Memory = host.Memory ?? 0,
        MemorySwap = host.MemorySwap ?? 0,
        NanoCPUs = host.NanoCpus ?? 0,
        Init = host.Init,
        IpcMode = host.IpcMode,
        Ulimits = host.Ulimits?.Select(u => new Lib.Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard }).ToList(),
        LogConfig = host.LogConfig is { } log ? new Lib.LogConfig { Type = log.Type, Config = log.Config?.ToDictionary() } : null,
        RestartPolicy = host.RestartPolicy is { } restart
            ? new Lib.RestartPolicy { Name = ToLibrary(restart.Name), MaximumRetryCount = restart.MaximumRetryCount }
            : null,
        Runtime = host.Runtime,
    };

    private static Lib.Mount ToLibrary(Mount mount) => new()
    {
        Type = mount.Type,
        Source = mount.Source,
        Target = mount.Target,
        ReadOnly = mount.ReadOnly ?? false,
        BindOptions = mount.BindOptions is { } bind
            ? new Lib.BindOptions { Propagation = bind.Propagation, NonRecursive = bind.NonRecursive ?? false }
            : null,
        TmpfsOptions = mount.TmpfsOptions is { } tmpfs
            ? new Lib.TmpfsOptions { SizeBytes = tmpfs.SizeBytes ?? 0, Mode = (uint)(tmpfs.Mode ?? 0) }
            : null,
    };

    // The library models the policy name as an enum; a name it has no member for could not be sent as written.
    private static Lib.RestartPolicyKind ToLibrary(string name) => name switch
    {
        "" => Lib.RestartPolicyKind.Undefined,
        "no" => Lib.RestartPolicyKind.No,
        "always" => Lib.RestartPolicyKind.Always,
        "on-failure" => Lib.RestartPolicyKind.OnFailure,
        "unless-stopped" => Lib.RestartPolicyKind.UnlessStopped,
        _ => throw new ArgumentException($"not a restart policy: '{name}'", nameof(name)),
    };

    private static string FromLibrary(Lib.RestartPolicyKind kind) => kind switch
    {
        Lib.RestartPolicyKind.No => "no",
        Lib.RestartPolicyKind.Always => "always",
        Lib.RestartPolicyKind.OnFailure => "on-failure",
        Lib.RestartPolicyKind.UnlessStopped => "unless-stopped",
        _ => "",
    };

    public static EngineVersion FromLibrary(Lib.VersionResponse version) =>
        new(version.Version, version.APIVersion, version.MinAPIVersion, version.Os, version.Arch, version.KernelVersion);

    public static ImageInspect FromLibrary(Lib.ImageInspectResponse image) => new()
    {
        Id = image.ID,
        RepoTags = image.RepoTags?.ToList(),
        RepoDigests = image.RepoDigests?.ToList(),
        Created = Utc(image.Created),
        Size = image.Size,
        Architecture = image.Architecture,
        Os = image.Os,
        Config = image.Config is { } config
            ? new ImageConfig
            {
                User = config.User,
                Env = config.Env?.ToList(),
                Cmd = config.Cmd?.ToList(),
                Entrypoint = config.Entrypoint?.ToList(),
                WorkingDir = config.WorkingDir,
                Labels = config.Labels?.ToDictionary(),
            }
            : null,
    };

    public static ContainerInspect FromLibrary(Lib.ContainerInspectResponse inspect) => new()
    {
        Id = inspect.ID,
        Name = inspect.Name,
        Created = Utc(inspect.Created),
        Image = inspect.Image,
        State = FromLibrary(inspect.State),
        Config = inspect.Config is { } config
            ? new ContainerConfig
            {
                Image = config.Image,
                Cmd = config.Cmd?.ToList(),
                Entrypoint = config.Entrypoint?.ToList(),
                Env = config.Env?.ToList(),
                Labels = config.Labels?.ToDictionary(),
                User = config.User,
                WorkingDir = config.WorkingDir,
                Hostname = config.Hostname,
                Tty = config.Tty,
            }
            : null,
        HostConfig = inspect.HostConfig is { } host ? FromLibrary(host) : null,
        NetworkSettings = inspect.NetworkSettings is { } network
            ? new NetworkSettings
            {
                Networks = network.Networks?.ToDictionary(n => n.Key, n => new EndpointSettings
                {
                    NetworkID = n.Value.NetworkID,
                    EndpointID = n.Value.EndpointID,
                    Gateway = n.Value.Gateway,
                    IPAddress = n.Value.IPAddress,
                    IPPrefixLen = (int)n.Value.IPPrefixLen,
                    MacAddress = n.Value.MacAddress,
                }),
                IPAddress = network.IPAddress,
                Gateway = network.Gateway,
                SandboxKey = network.SandboxKey,
            }
            : null,
        Mounts = inspect.Mounts?.Select(m => new MountPoint
        {
            Type = m.Type,
            Name = m.Name,
            Source = m.Source,
            Destination = m.Destination,
            Mode = m.Mode,
            RW = m.RW,
            Propagation = m.Propagation,
        }).ToList(),
        RestartCount = (int)inspect.RestartCount,
    };

    private static ContainerState FromLibrary(Lib.ContainerState state) => new()
    {
        Status = state.Status,
        Running = state.Running,
        Paused = state.Paused,
        Restarting = state.Restarting,
        OOMKilled = state.OOMKilled,
        Dead = state.Dead,
        Pid = (int)state.Pid,
        ExitCode = state.ExitCode,
        Error = state.Error,
        StartedAt = Timestamp(state.StartedAt),
        FinishedAt = Timestamp(state.FinishedAt),
    };

    private static HostConfig FromLibrary(Lib.HostConfig host) => new()
    {
        NetworkMode = host.NetworkMode,
        Binds = host.Binds?.ToList(),
        Mounts = host.Mounts?.Select(m => new Mount
        {
            Type = m.Type,
            Source = m.Source,
            Target = m.Target,
            ReadOnly = m.ReadOnly,
            BindOptions = m.BindOptions is { } bind ? new BindOptions { Propagation = bind.Propagation, NonRecursive = bind.NonRecursive } : null,
            TmpfsOptions = m.TmpfsOptions is { } tmpfs ? new TmpfsOptions { SizeBytes = tmpfs.SizeBytes, Mode = (int)tmpfs.Mode } : null,
        }).ToList(),
        ReadonlyRootfs = host.ReadonlyRootfs,
        Tmpfs = host.Tmpfs?.ToDictionary(),
        CapDrop = host.CapDrop?.ToList(),
        SecurityOpt = host.SecurityOpt?.ToList(),
        PidsLimit = host.PidsLimit,
        Memory = host.Memory,
        MemorySwap = host.MemorySwap,
        NanoCpus = host.NanoCPUs,
        Init = host.Init,
        IpcMode = host.IpcMode,
        Ulimits = host.Ulimits?.Select(u => new Ulimit(u.Name, u.Soft, u.Hard)).ToList(),
        LogConfig = host.LogConfig is { } log ? new LogConfig(log.Type, log.Config?.ToDictionary()) : null,
        RestartPolicy = host.RestartPolicy is { } restart ? new RestartPolicy(FromLibrary(restart.Name), (int)restart.MaximumRetryCount) : null,
        Runtime = host.Runtime,
    };

    public static ContainerSummary FromLibrary(Lib.ContainerListResponse container) => new()
    {
        Id = container.ID,
        Names = container.Names?.ToList(),
        Image = container.Image,
        ImageID = container.ImageID,
        Created = Utc(container.Created).ToUnixTimeSeconds(),
        State = container.State,
        Status = container.Status,
        Labels = container.Labels?.ToDictionary(),
    };

    public static ContainerPathStat FromLibrary(Lib.ContainerPathStatResponse stat) =>
        new(stat.Name, stat.Size, stat.Mode, Utc(stat.Mtime), string.IsNullOrEmpty(stat.LinkTarget) ? null : stat.LinkTarget);

    public static EngineEvent FromLibrary(Lib.Message message) => new()
    {
        Type = message.Type,
        Action = message.Action,
        Actor = new EventActor(message.Actor?.ID ?? "", message.Actor?.Attributes?.ToDictionary()),
        Scope = message.Scope,
        Time = message.Time,
        TimeNano = message.TimeNano,
    };

    public static ContainerResourceUsage FromLibrary(Lib.ContainerStatsResponse stats) => new(
        Utc(stats.Read),
        (long)(stats.CPUStats?.CPUUsage?.TotalUsage ?? 0),
        (long)(stats.MemoryStats?.Usage ?? 0),
        // The library reads an absent counter as 0 (max_usage is cgroup v1 only, a pids limit may be unset): no number.
        NullIfZero(stats.MemoryStats?.MaxUsage),
        stats.MemoryStats?.Stats is { } memory && memory.TryGetValue("cache", out var cache) ? (long)cache : null,
        NullIfZero(stats.MemoryStats?.Limit),
        (long)(stats.PidsStats?.Current ?? 0),
        NullIfZero(stats.PidsStats?.Limit));

    /// <summary>Filters as the library sends them: each key with its values as a set.</summary>
    public static Dictionary<string, IDictionary<string, bool>> Filters(params (string Key, IReadOnlyCollection<string> Values)[] filters)
    {
        var map = new Dictionary<string, IDictionary<string, bool>>();
        foreach (var (key, values) in filters)
        {
            if (values.Count == 0) continue;
            foreach (var value in values)
                if (string.IsNullOrEmpty(value)) throw new ArgumentException($"empty {key} filter");
            map[key] = values.ToDictionary(v => v, _ => true);
        }
        return map;
    }

    private static long? NullIfZero(ulong? value) => value is null or 0 ? null : (long)value.Value;

    /// <summary>The library reads RFC 3339 times into a <see cref="DateTime"/>; ours are offsets in UTC.</summary>
    private static DateTimeOffset Utc(DateTime at) => at == DateTime.MinValue
        ? DateTimeOffset.MinValue
        : new DateTimeOffset(at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc));

    /// <summary>State times stay strings in the library; <c>0001-01-01T00:00:00Z</c> (never) is <see cref="DateTimeOffset.MinValue"/>.</summary>
    private static DateTimeOffset Timestamp(string? at) => string.IsNullOrEmpty(at)
        ? DateTimeOffset.MinValue
        : DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
