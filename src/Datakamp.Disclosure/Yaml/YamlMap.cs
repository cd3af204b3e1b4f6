using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Datakamp.Disclosure.Yaml;

/// <summary>
/// Strict reader over one YAML mapping: every key must be consumed or it is rejected with its line,
/// so a typo in a policy or spec can never silently switch a rule off. Also reads JSON, which is YAML.
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    private YamlMap(string file, YamlMappingNode node)
    {
        File = file;
        _node = node;
    }

    public string File { get; }

    public long Line => _node.Start.Line;

    /// <summary>Parses a document whose root must be a mapping.</summary>
    public static YamlMap Parse(string file, string text)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            var why = e.InnerException is { } inner && inner.Message.Length > 0 ? inner.Message : e.Message;
            // YamlDotNet prefixes "(Line: .., Col: ..)"; we give the line ourselves.
            var cut = why.IndexOf("): ", StringComparison.Ordinal);
            if (why.StartsWith("(Line", StringComparison.Ordinal) && cut > 0) why = why[(cut + 3)..];
            throw new DisclosureInputException(file, e.Start.Line, $"not valid YAML: {why}");
        }
        if (stream.Documents.Count != 1)
            throw new DisclosureInputException(file, null, $"expected exactly one YAML document, found {stream.Documents.Count}");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new DisclosureInputException(file, stream.Documents[0].RootNode.Start.Line, "expected a mapping of keys to values at the top level");
        return new YamlMap(file, root);
    }

    public bool Has(string key) => Find(key) is not null;

    public long LineOf(string key) => FindKey(key)?.Start.Line ?? Line;

    public DisclosureInputException Error(string key, string reason) => new(File, LineOf(key), reason);

    public DisclosureInputException ErrorAt(YamlNode node, string reason) => new(File, node.Start.Line, reason);

    public string RequiredString(string key) =>
        OptionalString(key) ?? throw new DisclosureInputException(File, Line, $"missing required key '{key}'");

    public string? OptionalString(string key)
    {
        var node = Find(key);
        if (node is null) return null;
        if (node is not YamlScalarNode s || s.Value is null)
            throw ErrorAt(node, $"'{key}' must be a single value");
        return s.Value;
    }

    public long RequiredInteger(string key) =>
        OptionalInteger(key) ?? throw new DisclosureInputException(File, Line, $"missing required key '{key}'");

    public long? OptionalInteger(string key)
    {
        var text = OptionalString(key);
        if (text is null) return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            throw Error(key, $"'{key}' must be a whole number, not '{Cut(text)}'");
        return v;
    }

    public double RequiredNumber(string key) =>
        OptionalNumber(key) ?? throw new DisclosureInputException(File, Line, $"missing required key '{key}'");

    public double? OptionalNumber(string key)
    {
        var text = OptionalString(key);
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw Error(key, $"'{key}' must be a number, not '{Cut(text)}'");
        return v;
    }

    public bool? OptionalBool(string key)
    {
        var text = OptionalString(key);
        return text switch
        {
            null => null,
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            _ => throw Error(key, $"'{key}' must be true or false, not '{Cut(text)}'"),
        };
    }

    /// <summary>A list of scalars; a single scalar is accepted as a one-element list.</summary>
    public IReadOnlyList<string>? OptionalStringList(string key)
    {
        var node = Find(key);
        switch (node)
        {
            case null: return null;
            case YamlScalarNode { Value: { } one } when one.Length > 0: return [one];
            case YamlSequenceNode seq:
                var list = new List<string>(seq.Children.Count);
                foreach (var child in seq.Children)
                {
                    if (child is not YamlScalarNode { Value: { } v })
                        throw ErrorAt(child, $"every item of '{key}' must be a single value");
                    list.Add(v);
                }
                return list;
            default: throw ErrorAt(node, $"'{key}' must be a list");
        }
    }

    public YamlMap? OptionalMap(string key)
    {
        var node = Find(key);
        if (node is null) return null;
        if (node is not YamlMappingNode m) throw ErrorAt(node, $"'{key}' must be a mapping of keys to values");
        return new YamlMap(File, m);
    }

    /// <summary>Keys of this mapping in document order (all count as consumed by the caller).</summary>
    public IEnumerable<(string Key, long Line)> Keys()
    {
        foreach (var (k, _) in _node.Children)
        {
            if (k is not YamlScalarNode { Value: { } name }) throw ErrorAt(k, "keys must be plain names");
            yield return (name, k.Start.Line);
        }
    }

    /// <summary>Rejects every key that was not read, naming its line and the keys that are allowed.</summary>
    public void RejectUnknownKeys(IEnumerable<string> allowed)
    {
        foreach (var (k, _) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "?";
            if (!_consumed.Contains(name))
                throw ErrorAt(k, $"unknown key '{Cut(name)}' (allowed here: {string.Join(", ", allowed)})");
        }
    }

    private YamlNode? Find(string key)
    {
        _consumed.Add(key);
        foreach (var (k, v) in _node.Children)
            if (k is YamlScalarNode { Value: { } name } && name == key) return v;
        return null;
    }

    private YamlNode? FindKey(string key)
    {
        foreach (var (k, _) in _node.Children)
            if (k is YamlScalarNode { Value: { } name } && name == key) return k;
        return null;
    }

    internal static string Cut(string s, int max = 40) => s.Length <= max ? s : s[..max] + "…";
}
