namespace Datakamp.Docker;

/// <summary>What <c>GET /version</c> tells about the engine (PascalCase, as the Engine API writes it).</summary>
public sealed record EngineVersion(string Version, string ApiVersion, string MinAPIVersion, string Os, string Arch, string KernelVersion);
