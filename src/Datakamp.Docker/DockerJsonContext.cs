using System.Text.Json.Serialization;

namespace Datakamp.Docker;

/// <summary>Source-generated JSON for every Engine API model: no reflection, and a compile-time list of what we parse.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(EngineVersion))]
[JsonSerializable(typeof(EngineError))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;

/// <summary>The body of every Engine API error: <c>{"message": "..."}</c>.</summary>
internal sealed record EngineError(string? Message);
