using System.Buffers;
using System.Text.Unicode;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Gives every distinct unit id (person, household, enterprise) a dense integer code, so several rows of
/// one unit become one contributor. Ids written as canonical integers (no sign other than '-', no leading
/// zeros, at most 18 digits) are keyed by their number without making a string; any other id is keyed by
/// its exact text. The two never collide: a canonical integer text has exactly one number and vice versa.
/// </summary>
internal sealed class UnitRegistry
{
    private readonly Dictionary<long, int> _numeric = new();
    private readonly Dictionary<string, int> _text = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textLookup;

    public UnitRegistry() => _textLookup = _text.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count { get; private set; }

    /// <summary>The code of a unit id given as UTF-8 bytes; invalid UTF-8 throws <see cref="FormatException"/>.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> utf8)
    {
        if (TryCanonicalInteger(utf8, out var number))
        {
            if (_numeric.TryGetValue(number, out var code)) return code;
            _numeric.Add(number, Count);
            return Count++;
        }
        char[]? rented = null;
        var chars = utf8.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            if (Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
                throw new FormatException("not valid UTF-8");
            var key = chars[..written];
            if (_textLookup.TryGetValue(key, out var code)) return code;
            _text.Add(new string(key), Count);
            return Count++;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>The id of a unit code, for error messages only (a slow search).</summary>
    public string Describe(int code)
    {
        foreach (var (k, v) in _numeric) if (v == code) return k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (k, v) in _text) if (v == code) return k;
        return "?";
    }

    internal static bool TryCanonicalInteger(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        var negative = s.Length > 0 && s[0] == (byte)'-';
        var digits = negative ? s[1..] : s;
        if (digits.Length is 0 or > 18) return false;
        if (digits[0] == (byte)'0' && (digits.Length > 1 || negative)) return false;
        foreach (var b in digits)
        {
            var d = b - (byte)'0';
            if ((uint)d > 9) return false;
            value = value * 10 + d;
        }
        if (negative) value = -value;
        return true;
    }
}
