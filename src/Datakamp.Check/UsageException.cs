namespace Datakamp.Check;

/// <summary>The command line of <c>datakamp check</c> was wrong; the message says how.</summary>
internal sealed class UsageException(string message) : Exception(message);
