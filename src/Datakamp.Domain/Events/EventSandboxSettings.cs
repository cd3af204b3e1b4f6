namespace Datakamp.Domain.Events;

/// <summary>An event's choice of analysis image, limits and workspace size for its sandboxes; null means the host's default.</summary>
public sealed record EventSandboxSettings(string? Image, int? MemoryMb, decimal? Cpus, int? Pids, int? WorkspaceMb);
