namespace Datakamp.Domain.Releases;

/// <summary>
/// What the automated check said about one file, worst last so that combining takes the maximum. Mirrors the
/// disclosure engine's statuses; anything that could not be evaluated is <see cref="Fail"/> or <see cref="Review"/>, never <see cref="Pass"/>.
/// </summary>
public enum AutomatedCheck
{
    Pass = 0,
    Review = 1,
    Fail = 2,
}
