using System.Text.Json.Serialization;

namespace Datakamp.Docker;

/// <summary>Source-generated JSON for every Engine API model: no reflection, and a compile-time list of what we parse.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EngineVersion))]
[JsonSerializable(typeof(EngineError))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(ContainerSpec))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResult))]
[JsonSerializable(typeof(ExecCreateBody))]
[JsonSerializable(typeof(ExecStartBody))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(ContainerPathStat))]
[JsonSerializable(typeof(EngineEvent))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;

/// <summary>The body of every Engine API error: <c>{"message": "..."}</c>.</summary>
internal sealed record EngineError(string? Message);

/// <summary><c>POST /containers/{id}/exec</c>: always attached to stdout and stderr, never stdin or a TTY.</summary>
internal sealed record ExecCreateBody(
    bool AttachStdin,
    bool AttachStdout,
    bool AttachStderr,
    bool Tty,
    IReadOnlyList<string> Cmd,
    IReadOnlyList<string>? Env,
    string? User,
    string? WorkingDir);

/// <summary><c>POST /exec/{id}/start</c>.</summary>
internal sealed record ExecStartBody(bool Detach, bool Tty);

/// <summary>An answer that carries only the new object's id.</summary>
internal sealed record IdResponse(string Id);

/// <summary>The parts of <c>GET /exec/{id}/json</c> we use.</summary>
internal sealed record ExecInspect(bool Running, long? ExitCode, int Pid);
