namespace Datakamp.Data;

/// <summary>The database schema cannot be used by this build (too new, edited, or unknown). One line for a person.</summary>
public sealed class SchemaException(string message) : Exception(message);
