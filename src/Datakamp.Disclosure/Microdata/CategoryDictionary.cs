using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Interns the category values of one dimension: each distinct text gets a small integer code, and
/// looking up a known category from its UTF-8 bytes allocates nothing (span-keyed lookup), so the
/// aggregation works on codes instead of a string per field.
/// </summary>
internal sealed class CategoryDictionary
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _names = [];

    public CategoryDictionary() => _lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _names.Count;

    public IReadOnlyList<string> Names => _names;

    /// <summary>The code of <paramref name="utf8"/>, adding it when new; invalid UTF-8 throws <see cref="FormatException"/>.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> utf8, out bool added)
    {
        char[]? rented = null;
        var chars = utf8.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            if (Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
                throw new FormatException("not valid UTF-8");
            var key = chars[..written];
            if (_lookup.TryGetValue(key, out var code)) { added = false; return code; }
            var name = new string(key);
            code = _names.Count;
            _codes.Add(name, code);
            _names.Add(name);
            added = true;
            return code;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>The code of <paramref name="name"/>, adding it when new.</summary>
    public int GetOrAdd(string name, out bool added)
    {
        added = !_codes.TryGetValue(name, out var code);
        if (!added) return code;
        code = _names.Count;
        _codes.Add(name, code);
        _names.Add(name);
        return code;
    }

    /// <summary>Code of an existing category text, or -1.</summary>
    public int Find(string name) => _codes.TryGetValue(name, out var c) ? c : -1;

    internal static string Show(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}
