namespace Datakamp.Domain.Events;

/// <summary>One Datakamp: a multi-day hackathon with its teams, data and presentation.</summary>
public sealed record Event(long Id, Slug Slug, string Name, DateOnly StartsOn, DateOnly EndsOn);
