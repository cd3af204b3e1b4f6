using System.Text.Unicode;
using Datakamp.Disclosure.Microdata;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Parses one chunk of microdata for every table at once (runs on any thread; shares only immutable
/// plans). A record is parsed once however many tables are checked; each table's input error is recorded
/// with its record and ends that table only, while a malformed record (CSV syntax, field count) ends the chunk.
/// </summary>
internal static class ChunkParser
{
    /// <summary>Parses the remaining records of <paramref name="csv"/>, which holds one loaded chunk, into <paramref name="chunk"/> (or a larger copy).</summary>
    public static ParsedChunk Parse(CsvReader csv, int fieldCount, IReadOnlyList<TablePlan> plans, IReadOnlyList<int> unitFields,
        int[] unitColumnOfTable, ParsedChunk chunk)
    {
        chunk.Reset();
        var dead = new bool[plans.Count];
        var unitNeeded = new bool[unitFields.Count];
        var n = 0;
        try
        {
            while (csv.ReadRecord())
            {
                if (n == chunk.Lines.Length) chunk = Grow(chunk, plans, unitFields.Count);
                chunk.Lines[n] = csv.Line;
                if (csv.FieldCount != fieldCount)
                    throw csv.Error(csv.Line, $"expected {fieldCount} fields as in the header, found {csv.FieldCount}");
                Array.Clear(unitNeeded);
                for (var t = 0; t < plans.Count; t++)
                {
                    var leaf = TablePlan.Skipped;
                    if (!dead[t])
                    {
                        try
                        {
                            leaf = plans[t].Read(csv, chunk.Categories[t], out var value, out var weight);
                            if (chunk.Values[t].Length > 0) chunk.Values[t][n] = value;
                            if (chunk.Weights[t].Length > 0) chunk.Weights[t][n] = weight;
                            if (leaf >= 0) unitNeeded[unitColumnOfTable[t]] = true;
                        }
                        catch (DisclosureInputException e)
                        {
                            chunk.Errors.Add((n, t, e));
                            dead[t] = true;
                            leaf = TablePlan.Skipped;
                        }
                    }
                    chunk.Leaves[t][n] = leaf;
                }
                for (var u = 0; u < unitFields.Count; u++)
                    if (unitNeeded[u]) chunk.UnitKeys[u][n] = Key(csv, unitFields[u], chunk, plans, unitColumnOfTable, u, n, dead);
                n++;
            }
        }
        catch (DisclosureInputException e)
        {
            chunk.Errors.Add((n, -1, e));
        }
        chunk.Records = n;
        return chunk;
    }

    private static ulong Key(CsvReader csv, int field, ParsedChunk chunk, IReadOnlyList<TablePlan> plans, int[] unitColumnOfTable, int u, int n, bool[] dead)
    {
        var id = csv.Field(field);
        if (UnitKey.TryPack(id, out var key)) return key;
        if (Utf8.IsValid(id))
        {
            chunk.TextIds.Add(id.ToArray());
            return UnitKey.TextFlag | (uint)(chunk.TextIds.Count - 1);
        }
        // Invalid UTF-8 in a unit id is an error of every table that uses this row and unit column.
        for (var t = 0; t < plans.Count; t++)
        {
            if (unitColumnOfTable[t] != u || chunk.Leaves[t][n] < 0) continue;
            chunk.Errors.Add((n, t, csv.Error(csv.Line, $"column '{plans[t].Spec.Unit}' is not valid UTF-8 text")));
            dead[t] = true;
            chunk.Leaves[t][n] = TablePlan.Skipped;
        }
        return 0;
    }

    /// <summary>A new empty chunk for these tables.</summary>
    public static ParsedChunk Create(IReadOnlyList<TablePlan> plans, int unitColumns, int capacity) =>
        new(capacity, unitColumns, plans);

    private static ParsedChunk Grow(ParsedChunk old, IReadOnlyList<TablePlan> plans, int unitColumns)
    {
        var bigger = Create(plans, unitColumns, old.Lines.Length * 2);
        old.Lines.CopyTo(bigger.Lines, 0);
        for (var u = 0; u < unitColumns; u++) old.UnitKeys[u].CopyTo(bigger.UnitKeys[u], 0);
        for (var t = 0; t < plans.Count; t++)
        {
            old.Leaves[t].CopyTo(bigger.Leaves[t], 0);
            old.Values[t].CopyTo(bigger.Values[t], 0);
            old.Weights[t].CopyTo(bigger.Weights[t], 0);
            bigger.Categories[t] = old.Categories[t];
        }
        bigger.TextIds.AddRange(old.TextIds);
        bigger.Errors.AddRange(old.Errors);
        return bigger;
    }
}
