namespace Datakamp.Disclosure.Filters;

/// <summary>A filter that cannot be parsed or compiled; <see cref="Position"/> is the 0-based character offset.</summary>
public sealed class FilterSyntaxException(string reason, int position)
    : Exception($"{reason} at position {position + 1}")
{
    public string Reason { get; } = reason;
    public int Position { get; } = position;
}
