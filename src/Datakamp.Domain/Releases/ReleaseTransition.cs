namespace Datakamp.Domain.Releases;

/// <summary>One recorded state change of a request, with who made it ("team:demo/noord/piet", "checker:chris", "system").</summary>
public sealed record ReleaseTransition(ReleaseState From, ReleaseState To, DateTimeOffset At, string Actor);
