using System.Globalization;

namespace Datakamp.Disclosure.Microdata;

/// <summary>
/// One column of a <see cref="MicrodataCache"/> in memory, in one of two encodings that both give back the
/// field's exact bytes (so every check reads the same text as from the CSV, byte for byte):
/// a dictionary (distinct field texts in first-seen order, one code per row in <see cref="CachedCodes"/>; the
/// empty field is a text of its own), or numbers (one double per row, NaN for an empty field), used only when every
/// non-empty field is the shortest round-trip text of its double, so formatting it gives the field back.
/// </summary>
internal sealed class CachedColumn
{
    private CachedColumn(byte[] texts, int[] offsets, CachedCodes codes, double[]? numbers)
    {
        Texts = texts;
        Offsets = offsets;
        Codes = codes;
        Numbers = numbers;
    }

    /// <summary>Dictionary: the UTF-8 texts back to back; entry i is Texts[Offsets[i]..Offsets[i+1]).</summary>
    public byte[] Texts { get; }
    public int[] Offsets { get; }
    /// <summary>Dictionary: the entry of every row.</summary>
    public CachedCodes Codes { get; }

    /// <summary>Dictionary: number of entries.</summary>
    public int Entries => Offsets.Length - 1;

    /// <summary>Dictionary: the exact bytes of entry <paramref name="entry"/>.</summary>
    public ReadOnlySpan<byte> Text(int entry) => Texts.AsSpan(Offsets[entry], Offsets[entry + 1] - Offsets[entry]);
    /// <summary>Numbers: the value of every row (NaN = empty field); null for a dictionary column.</summary>
    public double[]? Numbers { get; }

    public static CachedColumn Dictionary(byte[] texts, int[] offsets, CachedCodes codes) => new(texts, offsets, codes, null);
    public static CachedColumn Numeric(double[] numbers) => new([], [0], CachedCodes.Allocate(0, 0), numbers);

    /// <summary>
    /// Writes the field of <paramref name="row"/> into <paramref name="target"/> (at least <see cref="MaxNumberBytes"/>
    /// or the longest dictionary text long) and returns its length.
    /// </summary>
    public int Write(int row, Span<byte> target)
    {
        if (Numbers is { } numbers)
        {
            var v = numbers[row];
            if (double.IsNaN(v)) return 0;
            return Format(v, target);
        }
        var text = Text(Codes[row]);
        text.CopyTo(target);
        return text.Length;
    }

    /// <summary>Longest text a field of this column can have (computed once: a unit column may have millions of texts).</summary>
    public int MaxFieldBytes()
    {
        if (Numbers is not null) return MaxNumberBytes;
        if (_maxFieldBytes >= 0) return _maxFieldBytes;
        var max = 0;
        for (var i = 0; i + 1 < Offsets.Length; i++) max = Math.Max(max, Offsets[i + 1] - Offsets[i]);
        return _maxFieldBytes = max;
    }

    private int _maxFieldBytes = -1;

    /// <summary>Room for the shortest round-trip text of any double.</summary>
    public const int MaxNumberBytes = 32;

    /// <summary>The shortest round-trip text of <paramref name="v"/>; the cache writer compares fields with exactly this.</summary>
    public static int Format(double v, Span<byte> target) =>
        v.TryFormat(target, out var written, "R", CultureInfo.InvariantCulture) ? written
            : throw new InvalidOperationException("a number did not fit its buffer");
}
