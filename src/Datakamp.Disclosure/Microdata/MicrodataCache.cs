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
///         per column: name, kind (1 dictionary, 2 numbers), code width (bytes per row, 0: row numbers),
///                     unit ids valid (byte), dictionary section, rows section;
///         lines: consecutive (byte), lines section;   a section is: offset, length, SHA-256
/// lines section: int64 CSV line per row (empty when consecutive)
/// dictionary section: int32 n, int32[n+1] text offsets, UTF-8 texts (empty for numbers)
/// rows section: the code of every row, code width bytes each (see <see cref="CachedCodes"/>), or a double per row (NaN = empty)
/// </code>
/// The dictionary and the codes are separate sections so a unit column can be read without its texts,
/// which only error messages would need. "Unit ids valid" says every text of the dictionary is non-empty
/// valid UTF-8, so every row names a unit the CSV reader would accept.
/// Fail closed: a cache of another CSV (SHA-256, length or delimiter differ), of an unknown format version,
/// truncated, or with any section whose SHA-256 does not match is not used (<see cref="Open(string, string, long, char)"/> returns
/// null, the loads false or null). The per-section hashes catch a damaged file; they do not stop
/// someone who may write the cache from forging it, as whoever may write next to the CSV may also change it.
/// </summary>
internal sealed class MicrodataCache
{
    public static ReadOnlySpan<byte> Magic => "DKCACHE\0"u8;
    public const int FormatVersion = 2;
    public const byte DictionaryKind = 1;
    public const byte NumericKind = 2;
    private const int HashBlock = 1 << 18;

    /// <summary>Where one part of the cache lies in the file, and the SHA-256 its bytes must have.</summary>
    internal readonly record struct Section(long Offset, long Length, byte[] Sha);

    /// <summary>What the header says about one column.</summary>
    private readonly record struct ColumnEntry(byte Kind, int CodeWidth, bool UnitIdsValid, Section Dictionary, Section Rows);

    private readonly string _path;
    private readonly ColumnEntry[] _entries;
    private readonly (bool Consecutive, Section Section) _lines;
    private readonly CachedColumn?[] _columns;
    private long[]? _lineOfRow;

    private MicrodataCache(string path, string csvSha256, long csvLength, IReadOnlyList<string> header, long rows, ColumnEntry[] entries,
        (bool, Section) lines)
    {
        _path = path;
        CsvSha256 = csvSha256;
        CsvLength = csvLength;
        Header = header;
        Rows = rows;
        _entries = entries;
        _lines = lines;
        _columns = new CachedColumn?[header.Count];
    }

    /// <summary>Lower-case hex SHA-256 of the CSV this cache was built from, as its header says.</summary>
    public string CsvSha256 { get; }
    /// <summary>Length in bytes of the CSV this cache was built from.</summary>
    public long CsvLength { get; }
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
    public static MicrodataCache? Open(string path, string csvSha256, long csvLength, char delimiter) =>
        Open(path, delimiter) is { } cache && cache.CsvSha256 == csvSha256 && cache.CsvLength == csvLength ? cache : null;

    /// <summary>
    /// Opens the cache at <paramref name="path"/> when it is a complete cache made with this delimiter, whatever
    /// CSV it claims to be of (<see cref="CsvSha256"/>): nothing read from it may be used before the CSV's bytes
    /// are hashed and found to be those. Null when missing, of an unknown version, or with a damaged header.
    /// </summary>
    public static MicrodataCache? Open(string path, char delimiter)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            using var reader = new BinaryReader(file, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            if (reader.ReadInt32() != FormatVersion) return null;
            var headerLength = reader.ReadInt32();
            if (headerLength <= 0 || headerLength > file.Length) return null;
            var headerBytes = reader.ReadBytes(headerLength);
            if (headerBytes.Length != headerLength || !SHA256.HashData(headerBytes).AsSpan().SequenceEqual(reader.ReadBytes(32))) return null;

            using var header = new BinaryReader(new MemoryStream(headerBytes), Encoding.UTF8);
            var csvSha256 = Convert.ToHexStringLower(header.ReadBytes(32));
            var csvLength = header.ReadInt64();
            if (header.ReadUInt16() != delimiter) return null;
            var rows = header.ReadInt64();
            var columns = header.ReadInt32();
            if (rows < 0 || rows > int.MaxValue || columns <= 0) return null;
            var names = new string[columns];
            var entries = new ColumnEntry[columns];
            Section ReadSection() => new(header.ReadInt64(), header.ReadInt64(), header.ReadBytes(32));
            for (var c = 0; c < columns; c++)
            {
                names[c] = header.ReadString();
                entries[c] = new ColumnEntry(header.ReadByte(), header.ReadByte(), header.ReadByte() != 0, ReadSection(), ReadSection());
            }
            var lines = (header.ReadByte() != 0, ReadSection());
            // Every section must lie inside the file: a truncated cache is refused here.
            var sections = entries.SelectMany(e => new[] { e.Dictionary, e.Rows }).Append(lines.Item2);
            foreach (var section in sections)
                if (section.Offset < 0 || section.Length < 0 || section.Offset + section.Length > file.Length) return null;
            return new MicrodataCache(path, csvSha256, csvLength, names, rows, entries, lines);
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
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            if (!_lines.Consecutive && _lineOfRow is null)
            {
                var lines = new long[Rows];
                if (!TryRead(file, _lines.Section, MemoryMarshal.AsBytes(lines.AsSpan()))) return false;
                _lineOfRow = lines;
            }
            foreach (var c in columns.Distinct())
            {
                if (_columns[c] is not null) continue;
                _columns[c] = _entries[c].Kind switch
                {
                    DictionaryKind => LoadDictionary(file, c),
                    NumericKind => LoadNumbers(file, c),
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

    /// <summary>True when column <paramref name="column"/> is a dictionary whose texts are all non-empty valid UTF-8 (usable unit ids).</summary>
    public bool HasValidUnitIds(int column) => _entries[column] is { Kind: DictionaryKind, UnitIdsValid: true };

    /// <summary>
    /// The codes of a dictionary column without its texts (a unit column's codes are its units); null when
    /// the column holds numbers or its codes are damaged.
    /// </summary>
    public CachedCodes? TryLoadCodes(int column)
    {
        if (_columns[column] is { Numbers: null } loaded) return loaded.Codes;
        var entry = _entries[column];
        if (entry.Kind != DictionaryKind) return null;
        try
        {
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            var entries = ReadEntryCount(file, entry.Dictionary);
            return entries < 0 ? null : LoadCodes(file, entry, entries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The entry count heads the dictionary section; read alone, it is checked against the codes, which are hashed.
    private static int ReadEntryCount(FileStream file, Section dictionary)
    {
        if (dictionary.Length < 4) return -1;
        Span<byte> count = stackalloc byte[4];
        file.Position = dictionary.Offset;
        file.ReadExactly(count);
        return BitConverter.ToInt32(count);
    }

    private CachedCodes? LoadCodes(FileStream file, ColumnEntry entry, int entries)
    {
        if (entry.CodeWidth is not (0 or 1 or 2 or 4) || entries < 0) return null;
        if (entry.CodeWidth == 0 && entries != Rows) return null;
        var codes = CachedCodes.Allocate(entry.CodeWidth, (int)Rows);
        if (!TryRead(file, entry.Rows, codes.AsBytes())) return null;
        return codes.AllBelow(entries) ? codes : null;
    }

    private CachedColumn? LoadNumbers(FileStream file, int column)
    {
        var numbers = new double[Rows];
        return TryRead(file, _entries[column].Rows, MemoryMarshal.AsBytes(numbers.AsSpan())) ? CachedColumn.Numeric(numbers) : null;
    }

    // Checked as if the hash had not caught a damage: every offset and code must point inside the dictionary.
    private CachedColumn? LoadDictionary(FileStream file, int column)
    {
        var entry = _entries[column];
        if (entry.Dictionary.Length is < 4 or > int.MaxValue) return null;
        var bytes = new byte[entry.Dictionary.Length];
        if (!TryRead(file, entry.Dictionary, bytes)) return null;
        var count = BitConverter.ToInt32(bytes, 0);
        if (count < 0 || 4L + (count + 1L) * 4 > bytes.Length) return null;
        var offsets = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(4, (count + 1) * 4)).ToArray();
        var textStart = 4 + (count + 1) * 4;
        if (offsets[0] != 0 || (long)textStart + offsets[count] != bytes.Length) return null;
        for (var i = 0; i < count; i++) if (offsets[i] > offsets[i + 1]) return null;
        var codes = LoadCodes(file, entry, count);
        return codes is null ? null : CachedColumn.Dictionary(bytes.AsSpan(textStart).ToArray(), offsets, codes);
    }

    // Reads a section into the caller's memory (typed arrays are filled in place) and checks its SHA-256.
    private static bool TryRead(FileStream file, Section section, Span<byte> into)
    {
        if (into.Length != section.Length) return false;
        file.Position = section.Offset;
        // Hashed a block at a time right after it is read, while the block is still in the processor's cache.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var start = 0; start < into.Length; start += HashBlock)
        {
            var block = into.Slice(start, Math.Min(HashBlock, into.Length - start));
            file.ReadExactly(block);
            hash.AppendData(block);
        }
        Span<byte> sha = stackalloc byte[32];
        hash.GetHashAndReset(sha);
        return sha.SequenceEqual(section.Sha);
    }
}
