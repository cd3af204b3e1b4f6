using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// A columnar copy of one microdata CSV (written by <see cref="MicrodataCacheWriter"/>), so a check reads
/// the columns its tables need instead of parsing the whole CSV. Layout (little-endian):
/// <code>
/// "DKCACHE\0", int32 format version, int32 header length, header, SHA-256 of the header, sections
/// header: CSV SHA-256 (32 bytes), CSV length, delimiter (uint16), rows (int64), columns (int32),
///         per column: name, kind (1 dictionary, 2 numbers), section offset, length, SHA-256;
///         lines: consecutive (byte), section offset, length, SHA-256
/// dictionary section: int32 n, int32[n+1] text offsets, UTF-8 texts, int32 code per row
/// numbers section: double per row (NaN = empty);  lines section: int64 CSV line per row
/// </code>
/// Fail closed: a cache of another CSV (SHA-256, length or delimiter differ), of an unknown format version,
/// truncated, or with any section whose SHA-256 does not match is not used (<see cref="Open"/> returns
/// null, <see cref="TryLoad"/> false). The per-section hashes catch a damaged file; they do not stop
/// someone who may write the cache from forging it, as whoever may write next to the CSV may also change it.
/// </summary>
internal sealed class MicrodataCache
{
    public static ReadOnlySpan<byte> Magic => "DKCACHE\0"u8;
    public const int FormatVersion = 1;
    public const byte DictionaryKind = 1;
    public const byte NumericKind = 2;

    private readonly string _path;
    private readonly (byte Kind, long Offset, long Length, byte[] Sha)[] _sections;
    private readonly (bool Consecutive, long Offset, long Length, byte[] Sha) _lines;
    private readonly CachedColumn?[] _columns;
    private long[]? _lineOfRow;

    private MicrodataCache(string path, IReadOnlyList<string> header, long rows,
        (byte, long, long, byte[])[] sections, (bool, long, long, byte[]) lines)
    {
        _path = path;
        Header = header;
        Rows = rows;
        _sections = sections;
        _lines = lines;
        _columns = new CachedColumn?[header.Count];
    }

    public IReadOnlyList<string> Header { get; }
    public long Rows { get; }

    /// <summary>A loaded column (call <see cref="TryLoad"/> first).</summary>
    public CachedColumn Column(int index) => _columns[index] ?? throw new InvalidOperationException("column not loaded");

    /// <summary>The CSV line on which data row <paramref name="row"/> (0-based) starts.</summary>
    public long Line(int row) => _lineOfRow is { } lines ? lines[row] : row + 2L;

    /// <summary>
    /// Opens the cache at <paramref name="path"/> when it is a complete cache of the CSV with this SHA-256,
    /// length and delimiter; null otherwise (missing, another CSV, unknown version, damaged header).
    /// </summary>
    public static MicrodataCache? Open(string path, string csvSha256, long csvLength, char delimiter)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new BinaryReader(file, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            if (reader.ReadInt32() != FormatVersion) return null;
            var headerLength = reader.ReadInt32();
            if (headerLength <= 0 || headerLength > file.Length) return null;
            var headerBytes = reader.ReadBytes(headerLength);
            if (headerBytes.Length != headerLength || !SHA256.HashData(headerBytes).AsSpan().SequenceEqual(reader.ReadBytes(32))) return null;

            using var header = new BinaryReader(new MemoryStream(headerBytes), Encoding.UTF8);
            if (Convert.ToHexStringLower(header.ReadBytes(32)) != csvSha256) return null;
            if (header.ReadInt64() != csvLength || header.ReadUInt16() != delimiter) return null;
            var rows = header.ReadInt64();
            var columns = header.ReadInt32();
            if (rows < 0 || rows > int.MaxValue || columns <= 0) return null;
            var names = new string[columns];
            var sections = new (byte, long, long, byte[])[columns];
            for (var c = 0; c < columns; c++)
            {
                names[c] = header.ReadString();
                sections[c] = (header.ReadByte(), header.ReadInt64(), header.ReadInt64(), header.ReadBytes(32));
            }
            var lines = (header.ReadByte() != 0, header.ReadInt64(), header.ReadInt64(), header.ReadBytes(32));
            // Every section must lie inside the file: a truncated cache is refused here.
            foreach (var (_, offset, length, _) in sections.Append((0, lines.Item2, lines.Item3, [])))
                if (offset < 0 || length < 0 || offset + length > file.Length) return null;
            return new MicrodataCache(path, names, rows, sections, lines);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads and verifies the given columns and the line numbers; false when any section is damaged
    /// (then nothing of this cache may be used).
    /// </summary>
    public bool TryLoad(IEnumerable<int> columns)
    {
        try
        {
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (!_lines.Consecutive && _lineOfRow is null)
            {
                var bytes = Section(file, _lines.Offset, _lines.Length, _lines.Sha);
                if (bytes is null || bytes.Length != Rows * 8) return false;
                _lineOfRow = MemoryMarshal.Cast<byte, long>(bytes).ToArray();
            }
            foreach (var c in columns.Distinct())
            {
                if (_columns[c] is not null) continue;
                var (kind, offset, length, sha) = _sections[c];
                var bytes = Section(file, offset, length, sha);
                if (bytes is null) return false;
                _columns[c] = kind switch
                {
                    DictionaryKind => DecodeDictionary(bytes),
                    NumericKind when bytes.Length == Rows * 8 => CachedColumn.Numeric(MemoryMarshal.Cast<byte, double>(bytes).ToArray()),
                    _ => null,
                };
                if (_columns[c] is null) return false;
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static byte[]? Section(FileStream file, long offset, long length, byte[] sha)
    {
        if (length > int.MaxValue) return null;
        var bytes = new byte[length];
        file.Position = offset;
        file.ReadExactly(bytes);
        return SHA256.HashData(bytes).AsSpan().SequenceEqual(sha) ? bytes : null;
    }

    // Checked as if the hash had not caught a damage: every offset and code must point inside the dictionary.
    private CachedColumn? DecodeDictionary(byte[] bytes)
    {
        if (bytes.Length < 4) return null;
        var count = BitConverter.ToInt32(bytes, 0);
        if (count < 0 || 4L + (count + 1L) * 4 > bytes.Length) return null;
        var offsets = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(4, (count + 1) * 4)).ToArray();
        var textStart = 4 + (count + 1) * 4;
        var textLength = offsets[count];
        if (textLength < 0 || (long)textStart + textLength + Rows * 4 != bytes.Length) return null;
        for (var i = 0; i < count; i++) if (offsets[i] < 0 || offsets[i] > offsets[i + 1]) return null;
        var texts = bytes.AsSpan(textStart, textLength).ToArray();
        var codes = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(textStart + textLength)).ToArray();
        foreach (var code in codes) if ((uint)code >= (uint)count) return null;
        return CachedColumn.Dictionary(texts, offsets, codes);
    }
}
