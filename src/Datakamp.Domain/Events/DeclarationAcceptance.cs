namespace Datakamp.Domain.Events;

/// <summary>That an account accepted one version of its event's declaration: which text (by SHA-256) and when.</summary>
public sealed record DeclarationAcceptance(long AccountId, long EventId, int Version, string Sha256, DateTimeOffset AcceptedAt);
