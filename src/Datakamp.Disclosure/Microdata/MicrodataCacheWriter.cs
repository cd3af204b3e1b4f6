using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Builds a <see cref="MicrodataCache"/> from a CSV in one pass: every column dictionary-encoded, except
/// a column with more than <see cref="MaxDictionary"/> distinct texts that are all shortest round-trip
/// numbers, which is kept as doubles (a value column such as income). The field texts are kept byte for
/// byte, so a check reads exactly what it would read from the CSV. A CSV that the strict reader refuses
/// (syntax, field count, header) gets no cache: the check then reads the CSV and reports the error itself.
/// The cache is written to a temporary file and moved into place, so a crash never leaves half a cache.
/// </summary>
internal static class MicrodataCacheWriter
{
    /// <summary>Distinct texts a column may have before a numeric column switches to doubles.</summary>
    public const int MaxDictionary = 1 << 16;

    /// <summary>
    /// Writes the cache of <paramref name="csvPath"/> to <paramref name="cachePath"/> and returns the SHA-256 of
    /// the CSV bytes it was built from (hashed while they are read, so the key is of exactly the cached bytes
    /// even if the file changes meanwhile); null (and nothing written) when the CSV cannot be cached.
    /// </summary>
    public static string? TryWrite(string csvPath, char delimiter, string cachePath) => TryWrite(csvPath, delimiter, _ => cachePath)?.Sha256;

    /// <summary>
    /// Writes the cache of <paramref name="csvPath"/> to the path <paramref name="cachePathOf"/> gives for the SHA-256 of
    /// the bytes read (known before anything is written), and says what it learnt of the CSV; null (and nothing
    /// written) when the CSV cannot be cached.
    /// </summary>
    public static BuiltCache? TryWrite(string csvPath, char delimiter, Func<string, string> cachePathOf)
    {
        long csvLength;
        string csvSha256;
        IReadOnlyList<string> header;
        ColumnBuilder[] columns;
        // The CSV line of every row, kept only once a row is not on the line after the one before (a quoted line
        // break): in the usual CSV row r is on line r + 2, and storing that for millions of rows would cost 8 bytes each.
        List<long>? lines = null;
        var rows = 0;
        try
        {
            using var file = new FileStream(csvPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            using var sha = SHA256.Create();
            using var stream = new CryptoStream(file, sha, CryptoStreamMode.Read, leaveOpen: true);
            using var csv = new CsvReader(stream, Path.GetFileName(csvPath), delimiter, ownsStream: false);
            header = csv.ReadHeader();
            columns = header.Select(_ => new ColumnBuilder()).ToArray();
            while (csv.ReadRecord())
            {
                if (csv.FieldCount != header.Count) return null;
                if (lines is null && csv.Line != rows + 2L)
                {
                    lines = new List<long>(rows + 1);
                    for (var r = 0; r < rows; r++) lines.Add(r + 2L);
                }
                lines?.Add(csv.Line);
                rows++;
                for (var c = 0; c < columns.Length; c++)
                    if (!columns[c].Add(csv.Field(c))) return null;
            }
            // The reader stops at the end of the file, so the hash is of every byte read.
            stream.CopyTo(Stream.Null);
            csvLength = file.Position;
            csvSha256 = Convert.ToHexStringLower(sha.Hash!);
        }
        catch (Exception e) when (e is DisclosureInputException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // Each column's builder is let go once its sections are made, so the peak holds one column twice, not all.
        var sections = new List<ColumnSections>(columns.Length);
        for (var c = 0; c < columns.Length; c++)
        {
            sections.Add(columns[c].Sections(rows));
            columns[c] = null!;
        }
        var isUtf8 = sections.All(s => s.IsUtf8);
        var consecutive = lines is null;
        var lineSection = consecutive ? [] : MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(lines)).ToArray();

        using var headerBody = new MemoryStream();
        using (var h = new BinaryWriter(headerBody, Encoding.UTF8, leaveOpen: true))
        {
            h.Write(Convert.FromHexString(csvSha256));
            h.Write(csvLength);
            h.Write((ushort)delimiter);
            h.Write((long)rows);
            h.Write(header.Count);
            // Offsets are known once the header's length is: it has a fixed size per column apart from the names.
            const int sectionBytes = 8 + 8 + 32;
            var headerLength = 32 + 8 + 2 + 8 + 4 + header.Sum(n => NameBytes(n) + 3 + 2 * sectionBytes) + 1 + sectionBytes;
            long offset = MicrodataCache.Magic.Length + 4 + 4 + headerLength + 32;
            void Section(byte[] bytes)
            {
                h.Write(offset);
                h.Write((long)bytes.Length);
                h.Write(SHA256.HashData(bytes));
                offset += bytes.Length;
            }
            for (var c = 0; c < header.Count; c++)
            {
                h.Write(header[c]);
                h.Write(sections[c].Kind);
                h.Write(sections[c].CodeWidth);
                h.Write(sections[c].UnitIdsValid ? (byte)1 : (byte)0);
                Section(sections[c].Dictionary);
                Section(sections[c].Rows);
            }
            h.Write(consecutive ? (byte)1 : (byte)0);
            Section(lineSection);
        }
        var headerBytes = headerBody.ToArray();

        var cachePath = cachePathOf(csvSha256);
        // Unique per build: two checks of one dataset may build its cache at the same time, in one process or two.
        var temporary = $"{cachePath}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cachePath))!);
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var w = new BinaryWriter(file))
            {
                w.Write(MicrodataCache.Magic);
                w.Write(MicrodataCache.FormatVersion);
                w.Write(headerBytes.Length);
                w.Write(headerBytes);
                w.Write(SHA256.HashData(headerBytes));
                foreach (var s in sections)
                {
                    w.Write(s.Dictionary);
                    w.Write(s.Rows);
                }
                w.Write(lineSection);
            }
            File.Move(temporary, cachePath, overwrite: true);
            return new BuiltCache(cachePath, csvSha256, csvLength, header, isUtf8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(temporary);
            return null;
        }
    }

    /// <summary>Removes a half-written cache; one that cannot be removed (or whose folder is gone) is left, never read.</summary>
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A .tmp file is never opened as a cache: leaving it costs disk space only.
        }
    }

    // BinaryWriter.Write(string): a 7-bit encoded length, then UTF-8.
    private static int NameBytes(string name)
    {
        var n = Encoding.UTF8.GetByteCount(name);
        var prefix = 1;
        for (var v = n >> 7; v > 0; v >>= 7) prefix++;
        return prefix + n;
    }

    /// <summary>What the cache holds of one column (see <see cref="MicrodataCache"/> for the layout).</summary>
    private sealed record ColumnSections(byte Kind, byte CodeWidth, bool UnitIdsValid, byte[] Dictionary, byte[] Rows)
    {
        /// <summary>Whether every field of the column is UTF-8 text (numbers are: they are kept only when they print back as read).</summary>
        public bool IsUtf8 { get; init; } = true;
    }

    /// <summary>One column while the CSV is read: its dictionary, and its numbers while they could replace it.</summary>
    private sealed class ColumnBuilder
    {
        // The column's distinct texts; null once it is kept as numbers. A field already seen is looked up by the span of
        // the reader's buffer, without a copy.
        private TextDictionary? _texts = new();
        // Per row, in pages (no doubling copies of millions of rows): the code, and the number while every field is one.
        private readonly ChunkedArray<int> _codes = new();
        private ChunkedArray<double>? _numbers = new();
        private int _rows;

        /// <summary>Adds one field; false when the column can be kept neither way (too many texts that are not all numbers).</summary>
        public bool Add(ReadOnlySpan<byte> field)
        {
            var row = _rows++;
            if (_numbers is not null)
            {
                var number = AsNumber(field, out var ok);
                if (ok)
                {
                    _numbers.EnsureCapacity(row + 1);
                    _numbers[row] = number;
                }
                else _numbers = null;
            }
            if (_texts is null) return _numbers is not null;
            var code = _texts.NumberOf(field);
            if (_texts.Count > MaxDictionary && _numbers is not null)
            {
                // Many distinct numbers: doubles are smaller and need no parsing at check time.
                _texts = null;
                return true;
            }
            _codes.EnsureCapacity(row + 1);
            _codes[row] = code;
            return true;
        }

        // NaN for an empty field; ok is false when the text is not exactly what formatting the number gives back.
        private static double AsNumber(ReadOnlySpan<byte> field, out bool ok)
        {
            ok = true;
            if (field.IsEmpty) return double.NaN;
            Span<byte> shown = stackalloc byte[CachedColumn.MaxNumberBytes];
            var v = 0.0;
            ok = field.Length <= CachedColumn.MaxNumberBytes
                 && double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v)
                 && shown[..CachedColumn.Format(v, shown)].SequenceEqual(field);
            return ok ? v : double.NaN;
        }

        /// <summary>The column's sections: its dictionary (none for numbers) and its rows (codes as narrow as they fit, or doubles).</summary>
        public ColumnSections Sections(int rows)
        {
            if (_texts is null)
            {
                var numbers = new byte[8 * rows];
                for (var r = 0; r < rows; r++) BinaryPrimitives.WriteDoubleLittleEndian(numbers.AsSpan(8 * r), _numbers![r]);
                return new(MicrodataCache.NumericKind, 0, false, [], numbers);
            }
            var width = (byte)CachedCodes.WidthFor(_texts.Count, _texts.Count == rows);
            var codes = new byte[width * rows];
            for (var r = 0; r < rows; r++)
            {
                switch (width)
                {
                    case 1: codes[r] = (byte)_codes[r]; break;
                    case 2: BinaryPrimitives.WriteUInt16LittleEndian(codes.AsSpan(2 * r), (ushort)_codes[r]); break;
                    case 4: BinaryPrimitives.WriteInt32LittleEndian(codes.AsSpan(4 * r), _codes[r]); break;
                }
            }
            // Each distinct text once: whether all are UTF-8, and whether they can name units (UTF-8 and not empty).
            var isUtf8 = true;
            var unitIdsValid = true;
            for (var i = 0; i < _texts.Count; i++)
            {
                var valid = Utf8.IsValid(_texts.Text(i));
                isUtf8 &= valid;
                unitIdsValid &= valid && _texts.Text(i).Length > 0;
            }
            return new(MicrodataCache.DictionaryKind, width, unitIdsValid, _texts.ToSection(), codes) { IsUtf8 = isUtf8 };
        }
    }
}
