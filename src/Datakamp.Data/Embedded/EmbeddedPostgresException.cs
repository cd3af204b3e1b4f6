namespace Datakamp.Data.Embedded;

/// <summary>The embedded cluster could not be created, started or stopped. The message is one line for a person.</summary>
public sealed class EmbeddedPostgresException(string message, Exception? inner = null) : Exception(message, inner);
