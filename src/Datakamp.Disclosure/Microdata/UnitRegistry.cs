using System.Runtime.InteropServices;
using System.Text;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Gives every distinct unit id (person, household, enterprise) a dense integer code, so several rows of
/// one unit become one contributor. Built for millions of units in little memory: an open-addressing
/// table of codes (4 bytes a slot, 47-70% full: it grows by half, not double) over one 8-byte key per unit
/// (<see cref="UnitKey"/>);
/// ids that cannot be packed are kept once as UTF-8 in large pages and their key points there.
/// Roughly 16-20 bytes per unit instead of a string and a dictionary entry (~70 bytes).
/// </summary>
internal sealed class UnitRegistry
{
    private const int TextPageSize = 1 << 20;
    private readonly ChunkedArray<ulong> _keys = new();
    private readonly List<byte[]> _textPages = [];
    private int _textPageUsed = TextPageSize;
    private int[] _slots = new int[1024];   // code + 1; 0 = empty

    public int Count { get; private set; }

    /// <summary>The code of the unit with packed key <paramref name="key"/> (see <see cref="UnitKey.TryPack"/>).</summary>
    public int GetOrAdd(ulong key)
    {
        for (var i = Slot(key); ; i = Next(i))
        {
            var code = _slots[i] - 1;
            if (code < 0) return Add(i, key);
            if (_keys[code] == key) return code;
        }
    }

    /// <summary>The code of a unit id that <see cref="UnitKey.TryPack"/> could not pack; the caller checked it is valid UTF-8.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> id)
    {
        var hash = TextHash(id);
        for (var i = Slot(hash); ; i = Next(i))
        {
            var code = _slots[i] - 1;
            if (code < 0) return Add(i, UnitKey.TextFlag | StoreText(id));
            var k = _keys[code];
            if ((k & UnitKey.TextFlag) != 0 && Text(k).SequenceEqual(id)) return code;
        }
    }

    /// <summary>The id of a unit code, for error messages.</summary>
    public string Describe(int code)
    {
        var k = _keys[code];
        return (k & UnitKey.TextFlag) != 0 ? Encoding.UTF8.GetString(Text(k)) : UnitKey.Unpack(k);
    }

    private int Add(int slot, ulong key)
    {
        var code = Count++;
        _keys.EnsureCapacity(Count);
        _keys[code] = key;
        _slots[slot] = code + 1;
        if (Count > _slots.Length / 10 * 7) Grow();
        return code;
    }

    private void Grow()
    {
        _slots = new int[_slots.Length / 2 * 3];
        for (var code = 0; code < Count; code++)
        {
            var i = Slot(HashOf(_keys[code]));
            while (_slots[i] != 0) i = Next(i);
            _slots[i] = code + 1;
        }
    }

    private ulong HashOf(ulong key) => (key & UnitKey.TextFlag) != 0 ? TextHash(Text(key)) : key;

    // Fibonacci hashing (key × 2^64/φ spreads sequential ids evenly), then its top 32 bits scaled to the table size.
    private int Slot(ulong hash) => (int)(((hash * 0x9E3779B97F4A7C15UL) >> 32) * (ulong)_slots.Length >> 32);

    private int Next(int slot) => slot + 1 == _slots.Length ? 0 : slot + 1;

    private static ulong TextHash(ReadOnlySpan<byte> id)
    {
        var h = new HashCode();
        h.AddBytes(id);
        return (ulong)(uint)h.ToHashCode() << 32 | (uint)id.Length;
    }

    // Text ids live in 1 MiB pages as [int length][bytes]; the key holds page and offset.
    private ulong StoreText(ReadOnlySpan<byte> id)
    {
        var need = id.Length + 4;
        if (_textPageUsed + need > (_textPages.Count == 0 ? 0 : _textPages[^1].Length))
        {
            _textPages.Add(new byte[Math.Max(TextPageSize, need)]);
            _textPageUsed = 0;
        }
        var page = _textPages[^1];
        MemoryMarshal.Write(page.AsSpan(_textPageUsed), id.Length);
        id.CopyTo(page.AsSpan(_textPageUsed + 4));
        var pointer = (ulong)(_textPages.Count - 1) << 32 | (uint)_textPageUsed;
        _textPageUsed += need;
        return pointer;
    }

    private ReadOnlySpan<byte> Text(ulong key)
    {
        var page = _textPages[(int)((key & ~UnitKey.TextFlag) >> 32)];
        var offset = (int)(uint)key;
        return page.AsSpan(offset + 4, MemoryMarshal.Read<int>(page.AsSpan(offset)));
    }
}
