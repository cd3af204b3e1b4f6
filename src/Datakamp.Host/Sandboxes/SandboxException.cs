namespace Datakamp.Host.Sandboxes;

/// <summary>A sandbox could not be brought to its desired state, for a reason the message gives in words staff and teams understand.</summary>
public sealed class SandboxException(string message, Exception? inner = null) : Exception(message, inner);
