namespace Datakamp.Domain.Releases;

/// <summary>A release request was asked to move in a way its state machine does not allow.</summary>
public sealed class InvalidTransitionException(ReleaseState from, ReleaseState to, string? why = null)
    : Exception($"A release request cannot go from {from} to {to}{(why is null ? "" : $": {why}")}.")
{
    public ReleaseState From { get; } = from;
    public ReleaseState To { get; } = to;
}
