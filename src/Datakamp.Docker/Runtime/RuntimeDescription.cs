namespace Datakamp.Docker;

/// <summary>Which runtime answered, for the start-up log: its kind (e.g. <c>Docker engine</c>), its version and its API version.</summary>
public sealed record RuntimeDescription(string Kind, string Version, string ApiVersion);
