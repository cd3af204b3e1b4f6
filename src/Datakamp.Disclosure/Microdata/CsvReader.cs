using System.Text;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// Streaming RFC 4180 style CSV reader over UTF-8 bytes: optional BOM, a header row, quoted fields with
/// doubled quotes and embedded delimiters or newlines, CRLF or LF, a configurable one-byte delimiter, and
/// an empty field meaning "missing". Fields are exposed as byte spans into one large reused buffer, so no
/// string is made per field; callers decode only what they need. Blank lines are skipped.
/// Strict on purpose: a wrong field count, a quote inside an unquoted field, text after a closing quote or
/// an unterminated quote is an error naming file, line and field, because a misread row would silently
/// move a person to another cell.
/// </summary>
public sealed class CsvReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private const int MaxRecordBytes = 64 * 1024 * 1024;

    private readonly Stream? _stream;
    private readonly bool _ownsStream;
    private readonly byte _delimiter;
    private byte[] _buffer;
    private int _start;   // first unparsed byte
    private int _end;     // end of valid data
    private bool _eof;
    private bool _atFileStart = true;
    private long _nextLine = 1;

    private int[] _fieldStart = new int[16];
    private int[] _fieldEnd = new int[16];
    private bool[] _fieldEscaped = new bool[16];

    /// <summary>Creates a reader; <paramref name="fileName"/> is used only in error messages.</summary>
    public CsvReader(Stream stream, string fileName, char delimiter = ',', int bufferSize = 1 << 20, bool ownsStream = true)
    {
        if (delimiter is '"' or '\r' or '\n' || delimiter > 127)
            throw new ArgumentException("The delimiter must be a single ASCII character other than quote or newline.", nameof(delimiter));
        _stream = stream;
        _ownsStream = ownsStream;
        FileName = fileName;
        _delimiter = (byte)delimiter;
        _buffer = new byte[Math.Max(bufferSize, 1024)];
    }

    /// <summary>
    /// A reader over whole records that another thread cut out of the file (<see cref="MicrodataChunkReader"/>):
    /// call <see cref="Load(MicrodataChunk)"/> with each chunk. Line numbers continue from the chunk's first line.
    /// </summary>
    internal CsvReader(string fileName, char delimiter) : this(Stream.Null, fileName, delimiter, bufferSize: 1024, ownsStream: false)
    {
        _stream = null;
    }

    /// <summary>
    /// Parses <paramref name="chunk"/> (complete records; the end of the chunk is treated as the end of the
    /// file) next. The reader works in the array itself and may change it (unescaping quotes).
    /// </summary>
    internal void Load(MicrodataChunk chunk)
    {
        _buffer = chunk.Buffer;
        _start = 0;
        _end = chunk.Length;
        _eof = true;
        _atFileStart = chunk.FirstLine == 1;
        _nextLine = chunk.FirstLine;
    }

    /// <summary>
    /// Serves rows [<paramref name="start"/>, <paramref name="end"/>) of a <see cref="MicrodataCache"/> as records
    /// instead of parsing text: each record has the CSV's field count, the fields in <paramref name="columns"/>
    /// (loaded) with their exact bytes, the others empty, and the row's CSV line. So the filters and the
    /// table plans read a cached row exactly as they read it from the CSV.
    /// </summary>
    internal void Load(MicrodataCache cache, int[] columns, int start, int end)
    {
        _cache = cache;
        _cacheColumns = columns;
        _cacheRow = start;
        _cacheEnd = end;
        var room = columns.Sum(c => cache.Column(c).MaxFieldBytes());
        if (_buffer.Length < room) _buffer = new byte[room];
        while (_fieldStart.Length < cache.Header.Count) Grow();
    }

    private MicrodataCache? _cache;
    private int[] _cacheColumns = [];
    private int _cacheRow;
    private int _cacheEnd;

    private bool ReadCachedRecord()
    {
        if (_cacheRow >= _cacheEnd) return false;
        var cache = _cache!;
        FieldCount = cache.Header.Count;
        Array.Clear(_fieldStart, 0, FieldCount);
        Array.Clear(_fieldEnd, 0, FieldCount);
        var at = 0;
        foreach (var c in _cacheColumns)
        {
            _fieldStart[c] = at;
            at += cache.Column(c).Write(_cacheRow, _buffer.AsSpan(at));
            _fieldEnd[c] = at;
        }
        Line = cache.Line(_cacheRow);
        _cacheRow++;
        return true;
    }

    /// <summary>The file name used in error messages.</summary>
    public string FileName { get; }

    /// <summary>Number of fields of the current record.</summary>
    public int FieldCount { get; private set; }

    /// <summary>1-based physical line on which the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>The current record's field <paramref name="index"/> (0-based), unescaped; empty means missing.</summary>
    public ReadOnlySpan<byte> Field(int index) =>
        _buffer.AsSpan(_fieldStart[index], _fieldEnd[index] - _fieldStart[index]);

    /// <summary>Decodes field <paramref name="index"/> as UTF-8; invalid UTF-8 is an input error.</summary>
    public string FieldString(int index) => Decode(Field(index), index);

    /// <summary>Decodes UTF-8 bytes of field <paramref name="index"/> of the current record.</summary>
    public string Decode(ReadOnlySpan<byte> bytes, int index)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException)
        {
            throw Error(Line, $"field {index + 1} is not valid UTF-8 text");
        }
    }

    /// <summary>An input error located on <paramref name="line"/> of this file.</summary>
    public DisclosureInputException Error(long line, string reason) => new(FileName, line, reason);

    /// <summary>Reads the header row; an empty file, an empty or duplicated column name is an error.</summary>
    public IReadOnlyList<string> ReadHeader()
    {
        if (!ReadRecord()) throw new DisclosureInputException(FileName, null, "the file is empty (no header row)");
        var names = new string[FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < FieldCount; i++)
        {
            names[i] = FieldString(i);
            if (names[i].Length == 0) throw Error(Line, $"column {i + 1} of the header has no name");
            if (!seen.Add(names[i])) throw Error(Line, $"column name '{Cut(names[i])}' appears twice in the header");
        }
        return names;
    }

    /// <summary>Reads the next non-blank record; false at end of file.</summary>
    public bool ReadRecord()
    {
        if (_cache is not null) return ReadCachedRecord();
        while (true)
        {
            if (_atFileStart)
            {
                if (!EnsureData(3) && _end - _start == 0) return false;
                if (_end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF) _start += 3;
                _atFileStart = false;
            }
            if (_start >= _end && !EnsureData(1)) return false;
            if (TryParseRecord(out var blank))
            {
                if (blank) continue;
                return true;
            }
            // Record incomplete in the buffer: get more data and parse again from its start.
            if (_eof) throw new InvalidOperationException("unreachable: incomplete record at end of file");
            if (!ReadMore())
                continue; // now at EOF: parse again with eof semantics
        }
    }

    private bool TryParseRecord(out bool blank)
    {
        blank = false;
        var buf = _buffer;
        var i = _start;
        var end = _end;
        var line = _nextLine;
        var newlines = 0L;
        var n = 0;
        while (true)
        {
            if (n == _fieldStart.Length) Grow();
            if (i < end && buf[i] == (byte)'"')
            {
                var contentStart = i + 1;
                var j = contentStart;
                var escaped = false;
                int close;
                while (true)
                {
                    var k = buf.AsSpan(j, end - j).IndexOf((byte)'"');
                    if (k < 0)
                    {
                        if (!_eof) return false;
                        throw Error(line, $"field {n + 1} has an opening quote that is never closed");
                    }
                    k += j;
                    if (k + 1 < end && buf[k + 1] == (byte)'"') { escaped = true; j = k + 2; continue; }
                    if (k + 1 >= end && !_eof) return false;
                    close = k;
                    break;
                }
                newlines += buf.AsSpan(contentStart, close - contentStart).Count((byte)'\n');
                _fieldStart[n] = contentStart;
                _fieldEnd[n] = close;
                _fieldEscaped[n] = escaped;
                n++;
                i = close + 1;
                if (i >= end) { FinishRecord(n, end, line, newlines); return true; }
                var c = buf[i];
                if (c == _delimiter) { i++; continue; }
                if (c == (byte)'\n') { FinishRecord(n, i + 1, line, newlines); return true; }
                if (c == (byte)'\r')
                {
                    if (i + 1 >= end && !_eof) return false;
                    if (i + 1 >= end) { FinishRecord(n, end, line, newlines); return true; }
                    if (buf[i + 1] == (byte)'\n') { FinishRecord(n, i + 2, line, newlines); return true; }
                }
                throw Error(line + newlines, $"field {n} has text after its closing quote");
            }
            else
            {
                var span = buf.AsSpan(i, end - i);
                var k = span.IndexOfAny(_delimiter, (byte)'\n', (byte)'"');
                if (k >= 0 && span[k] == (byte)'"')
                    throw Error(line + newlines, $"field {n + 1} contains a quote but does not start with one (quote the whole field and double the quote)");
                if (k < 0)
                {
                    if (!_eof) return false;
                    k = span.Length;
                }
                var fieldEnd = i + k;
                var isNewline = k < span.Length && span[k] == (byte)'\n';
                var isRecordEnd = k == span.Length || isNewline;
                var trimmedEnd = fieldEnd;
                if (isRecordEnd && trimmedEnd > i && buf[trimmedEnd - 1] == (byte)'\r') trimmedEnd--;
                _fieldStart[n] = i;
                _fieldEnd[n] = trimmedEnd;
                _fieldEscaped[n] = false;
                n++;
                if (!isRecordEnd) { i = fieldEnd + 1; continue; }
                if (n == 1 && trimmedEnd == i) blank = true;
                FinishRecord(n, isNewline ? fieldEnd + 1 : fieldEnd, line, newlines);
                return true;
            }
        }
    }

    private void FinishRecord(int fields, int next, long line, long newlines)
    {
        FieldCount = fields;
        Line = line;
        _start = next;
        _nextLine = line + 1 + newlines;
        for (var f = 0; f < fields; f++)
            if (_fieldEscaped[f]) Unescape(f);
    }

    // Turns doubled quotes into single quotes in place; the field only gets shorter.
    private void Unescape(int f)
    {
        var w = _fieldStart[f];
        for (var r = _fieldStart[f]; r < _fieldEnd[f]; r++)
        {
            _buffer[w++] = _buffer[r];
            if (_buffer[r] == (byte)'"') r++;
        }
        _fieldEnd[f] = w;
        _fieldEscaped[f] = false;
    }

    private void Grow()
    {
        Array.Resize(ref _fieldStart, _fieldStart.Length * 2);
        Array.Resize(ref _fieldEnd, _fieldEnd.Length * 2);
        Array.Resize(ref _fieldEscaped, _fieldEscaped.Length * 2);
    }

    private bool EnsureData(int bytes)
    {
        while (_end - _start < bytes && !_eof) ReadMore();
        return _end - _start >= bytes;
    }

    // Moves the unparsed tail to the front (growing the buffer for a very long record) and reads more.
    // Returns false when the stream is at its end.
    private bool ReadMore()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordBytes)
                throw Error(_nextLine, $"a record is longer than {MaxRecordBytes / (1024 * 1024)} MiB (is a quote left open?)");
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = _stream?.Read(_buffer, _end, _buffer.Length - _end) ?? 0;
        if (read == 0) { _eof = true; return false; }
        _end += read;
        return true;
    }

    internal static string Cut(string s, int max = 40) => s.Length <= max ? s : s[..max] + "…";

    public void Dispose()
    {
        if (_ownsStream) _stream?.Dispose();
    }
}
