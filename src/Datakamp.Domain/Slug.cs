using System.Text.RegularExpressions;

namespace Datakamp.Domain;

/// <summary>
/// A short lower-case name (letters, digits, dashes) for events and teams. Slugs end up in container
/// names, labels, folder names and URLs, so they are validated once, here, and trusted afterwards.
/// </summary>
public readonly partial record struct Slug
{
    public string Value { get; }

    private Slug(string value) => Value = value;

    public static Slug Parse(string value, string field) =>
        TryParse(value, out var slug) ? slug
            : throw new DomainValidationException(field, $"'{Shorten(value)}' is not a valid name: use 1-40 lower-case letters, digits and dashes, starting with a letter or digit");

    public static bool TryParse(string? value, out Slug slug)
    {
        slug = default;
        if (value is null || !Pattern().IsMatch(value)) return false;
        slug = new Slug(value);
        return true;
    }

    public override string ToString() => Value;

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
