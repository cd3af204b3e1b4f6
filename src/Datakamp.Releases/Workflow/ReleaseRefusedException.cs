namespace Datakamp.Releases;

/// <summary>A release action that is not allowed now, with a message written for the person who tried it (shown as is).</summary>
public sealed class ReleaseRefusedException(string message) : Exception(message);
