using System.Runtime.CompilerServices;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// The dictionary entry of every row of a cached column, stored as narrow as the dictionary allows:
/// one byte a row up to 256 entries, two up to 65,536, four beyond, and nothing at all when every row has
/// an entry of its own (entry = row number, the usual shape of a unit column where rows are units).
/// Narrow codes keep a check's memory and reading time small: a category column of 2,000,000 rows is 2 MB.
/// </summary>
internal sealed class CachedCodes
{
    private readonly byte[]? _bytes;
    private readonly ushort[]? _shorts;
    private readonly int[]? _ints;

    private CachedCodes(int rows, byte[]? bytes, ushort[]? shorts, int[]? ints)
    {
        Rows = rows;
        _bytes = bytes;
        _shorts = shorts;
        _ints = ints;
    }

    public int Rows { get; }

    /// <summary>True when the entry of every row is its row number (no codes are stored).</summary>
    public bool AreRowNumbers => _bytes is null && _shorts is null && _ints is null;

    /// <summary>Bytes per row in the cache file for a dictionary of <paramref name="entries"/> (0: row numbers).</summary>
    public static int WidthFor(int entries, bool rowNumbers) =>
        rowNumbers ? 0 : entries <= 1 << 8 ? 1 : entries <= 1 << 16 ? 2 : 4;

    /// <summary>Empty codes of the given width, to be filled from the file through <see cref="AsBytes"/>.</summary>
    public static CachedCodes Allocate(int width, int rows) => width switch
    {
        0 => new CachedCodes(rows, null, null, null),
        1 => new CachedCodes(rows, new byte[rows], null, null),
        2 => new CachedCodes(rows, null, new ushort[rows], null),
        4 => new CachedCodes(rows, null, null, new int[rows]),
        _ => throw new ArgumentOutOfRangeException(nameof(width)),
    };

    /// <summary>The stored codes as bytes (little-endian), for reading them from the file in place.</summary>
    public Span<byte> AsBytes() =>
        _bytes is not null ? _bytes
        : _shorts is not null ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(_shorts.AsSpan())
        : _ints is not null ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(_ints.AsSpan())
        : [];

    /// <summary>The dictionary entry of <paramref name="row"/>.</summary>
    public int this[int row] =>
        _bytes is not null ? _bytes[row]
        : _shorts is not null ? _shorts[row]
        : _ints is not null ? _ints[row]
        : row;

    /// <summary>True when every code points inside a dictionary of <paramref name="entries"/> (checked as if the hash had missed a damage).</summary>
    public bool AllBelow(int entries)
    {
        if (entries <= 0) return Rows == 0;
        if (_bytes is not null) return entries > byte.MaxValue || _bytes.AsSpan().IndexOfAnyInRange((byte)entries, byte.MaxValue) < 0;
        if (_shorts is not null) return entries > ushort.MaxValue || _shorts.AsSpan().IndexOfAnyInRange((ushort)entries, ushort.MaxValue) < 0;
        if (_ints is not null) return _ints.AsSpan().IndexOfAnyExceptInRange(0, entries - 1) < 0;
        return Rows <= entries;
    }

    /// <summary>
    /// Appends this column as one more digit of a mixed-radix number per row:
    /// <c>combination[row] = combination[row] × entries + code</c>. A whole column at a time, with no per-row
    /// choice of width, so a category combination of millions of rows takes milliseconds.
    /// </summary>
    // Optimised at once: it runs a few times per check over millions of rows, too few calls for tiered compilation.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AppendDigit(int[] combination, int entries)
    {
        if (_bytes is not null) for (var row = 0; row < combination.Length; row++) combination[row] = combination[row] * entries + _bytes[row];
        else if (_shorts is not null) for (var row = 0; row < combination.Length; row++) combination[row] = combination[row] * entries + _shorts[row];
        else if (_ints is not null) for (var row = 0; row < combination.Length; row++) combination[row] = combination[row] * entries + _ints[row];
        else for (var row = 0; row < combination.Length; row++) combination[row] = combination[row] * entries + row;
    }
}
