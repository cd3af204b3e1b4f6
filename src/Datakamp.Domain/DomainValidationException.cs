namespace Datakamp.Domain;

/// <summary>A value given by a person is not acceptable. Names the field and what is wrong.</summary>
public sealed class DomainValidationException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}
