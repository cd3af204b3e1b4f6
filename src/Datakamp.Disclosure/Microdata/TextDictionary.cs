using System.Buffers.Binary;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// The distinct texts of one column while a cache is built, numbered in the order they first appear. The texts sit
/// end to end in one buffer and the set holds only their numbers: a column of two million distinct person ids costs
/// its bytes and about 24 bytes a text, where a dictionary of byte arrays cost about 76 (an object per text).
/// Texts are compared byte for byte, so any bytes, even invalid UTF-8, are kept exactly.
/// </summary>
internal sealed class TextDictionary
{
    private byte[] _bytes = new byte[4096];
    private int _length;
    // Where text i ends in _bytes (it starts where text i - 1 ends).
    private readonly List<int> _ends = [];
    private readonly HashSet<int> _numbers;

    public TextDictionary() => _numbers = new HashSet<int>(new ByNumberComparer(this));

    /// <summary>How many distinct texts there are.</summary>
    public int Count => _ends.Count;

    /// <summary>The number of <paramref name="text"/>, added as the next number when it is new.</summary>
    public int NumberOf(ReadOnlySpan<byte> text)
    {
        if (_numbers.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(text, out var known)) return known;
        if (_length + text.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + text.Length));
        text.CopyTo(_bytes.AsSpan(_length));
        _length += text.Length;
        _ends.Add(_length);
        var number = _ends.Count - 1;
        _numbers.Add(number);
        return number;
    }

    /// <summary>Text number <paramref name="number"/>.</summary>
    public ReadOnlySpan<byte> Text(int number) => _bytes.AsSpan(Start(number), _ends[number] - Start(number));

    /// <summary>
    /// The dictionary section of the cache: the count, the end offsets (a 0 first) and the texts end to end, as
    /// 32-bit little-endian integers and bytes (see <see cref="MicrodataCache"/>).
    /// </summary>
    public byte[] ToSection()
    {
        var section = new byte[4 + (4 * (Count + 1)) + _length];
        BinaryPrimitives.WriteInt32LittleEndian(section, Count);
        BinaryPrimitives.WriteInt32LittleEndian(section.AsSpan(4), 0);
        for (var i = 0; i < Count; i++) BinaryPrimitives.WriteInt32LittleEndian(section.AsSpan(8 + (4 * i)), _ends[i]);
        _bytes.AsSpan(0, _length).CopyTo(section.AsSpan(8 + (4 * Count)));
        return section;
    }

    private int Start(int number) => number == 0 ? 0 : _ends[number - 1];

    private static int Hash(ReadOnlySpan<byte> text)
    {
        var hash = new HashCode();
        hash.AddBytes(text);
        return hash.ToHashCode();
    }

    /// <summary>Compares texts by number through their bytes, and a span of a reader's buffer with a number, without a copy.</summary>
    private sealed class ByNumberComparer(TextDictionary texts) : IEqualityComparer<int>, IAlternateEqualityComparer<ReadOnlySpan<byte>, int>
    {
        public bool Equals(int x, int y) => texts.Text(x).SequenceEqual(texts.Text(y));

        public int GetHashCode(int number) => Hash(texts.Text(number));

        public bool Equals(ReadOnlySpan<byte> alternate, int other) => alternate.SequenceEqual(texts.Text(other));

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        // Never called: a new text is copied into the buffer first and then added by its number.
        public int Create(ReadOnlySpan<byte> alternate) => throw new NotSupportedException("Texts are added with NumberOf.");
    }
}
