namespace Datakamp.Domain.Events;

/// <summary>A team of an event; it gets one sandbox and sees only the data granted to it.</summary>
public sealed record Team(long Id, long EventId, Slug Slug, string Name);
