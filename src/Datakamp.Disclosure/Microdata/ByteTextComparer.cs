namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Compares texts as their exact bytes, and lets a dictionary keyed by byte arrays be searched with a span of a
/// reader's buffer: a field that is already in the dictionary costs no allocation (a CSV of millions of rows repeats
/// a few categories millions of times).
/// </summary>
internal sealed class ByteTextComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static ByteTextComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null || y is null ? ReferenceEquals(x, y) : x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] text) => GetHashCode((ReadOnlySpan<byte>)text);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(alternate);
        return hash.ToHashCode();
    }

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
}
