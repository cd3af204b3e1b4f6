using Datakamp.Disclosure.Microdata;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// What a parser thread made of one <see cref="MicrodataChunk"/>, in a compact column layout the single
/// aggregating thread consumes in file order: per record its line, per unit column its packed unit key,
/// and per table its chunk-local category codes (or <see cref="TablePlan.Skipped"/>; an empty dimension value is a
/// category of its own), value (NaN = missing) and weight. Category codes are local
/// to the chunk (<see cref="Categories"/>), so parsers never share a dictionary. Instances are reused
/// (<see cref="Reset"/>) so that parsing allocates next to nothing per chunk.
/// </summary>
internal sealed class ParsedChunk
{
    public ParsedChunk(int capacity, int unitColumns, IReadOnlyList<TablePlan> plans)
    {
        Lines = new long[capacity];
        UnitKeys = new ulong[unitColumns][];
        for (var u = 0; u < unitColumns; u++) UnitKeys[u] = new ulong[capacity];
        var tables = plans.Count;
        Leaves = new long[tables][];
        Values = new double[tables][];
        Weights = new double[tables][];
        Categories = new CategoryDictionary[tables][];
        for (var t = 0; t < tables; t++)
        {
            Leaves[t] = new long[capacity];
            // Only tables with a value (weight) column fill these; the others share one array of the default.
            Values[t] = plans[t].ValueField >= 0 ? new double[capacity] : [];
            Weights[t] = plans[t].WeightField >= 0 ? new double[capacity] : [];
            Categories[t] = new CategoryDictionary[plans[t].DimensionFields.Length];
        }
        Reset();
    }

    /// <summary>Empties the chunk for the next one (the arrays are kept).</summary>
    public void Reset()
    {
        Records = 0;
        TextIds.Clear();
        Errors.Clear();
        foreach (var table in Categories)
            for (var d = 0; d < table.Length; d++) table[d] = new CategoryDictionary();
    }

    /// <summary>Data records parsed (the header excluded); records after an error for all tables are not included.</summary>
    public int Records { get; set; }

    public long[] Lines { get; }

    /// <summary>Per unit column and record: a <see cref="UnitKey"/>, or <see cref="UnitKey.TextFlag"/> | index into <see cref="TextIds"/>.</summary>
    public ulong[][] UnitKeys { get; }

    /// <summary>Unit ids that could not be packed (long or unusual ids), as UTF-8.</summary>
    public List<byte[]> TextIds { get; } = [];

    public long[][] Leaves { get; }
    public double[][] Values { get; }
    public double[][] Weights { get; }

    /// <summary>Value of a record for a table: NaN when missing or when the table has no value column.</summary>
    public double Value(int table, int record) => Values[table].Length > 0 ? Values[table][record] : double.NaN;

    /// <summary>Weight of a record for a table: 1 when the table is unweighted.</summary>
    public double Weight(int table, int record) => Weights[table].Length > 0 ? Weights[table][record] : 1;
    public CategoryDictionary[][] Categories { get; }

    /// <summary>Input errors in record order: for one table (its index), or for all tables (-1, which ends the chunk).</summary>
    public List<(int Record, int Table, DisclosureInputException Error)> Errors { get; } = [];
}
