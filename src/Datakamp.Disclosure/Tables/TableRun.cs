using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// One table during a pass over the microdata, on the aggregating thread: its aggregator, row counts and
/// first input error. Translates each chunk's local category codes to the table's codes as it goes,
/// so a new category is checked (reserved "Total", the policy's cell limit) at the row where it first
/// appears in the file, exactly as a one-row-at-a-time reader would.
/// </summary>
internal sealed class TableRun
{
    private readonly string _fileName;
    private readonly long _maxCells;
    private int[][] _globalCode = [];
    private readonly Dictionary<long, int> _innerOfLocalLeaf = new();

    public TableRun(TablePlan plan, Policy policy, string fileName)
    {
        Plan = plan;
        _fileName = fileName;
        _maxCells = policy.Limits.MaxTableCells;
        var spec = plan.Spec;
        Aggregator = new TableAggregator(spec.Dimensions.Count, spec.Statistic, spec.Margins, spec.Weight is not null,
            Math.Max(policy.Dominance?.N ?? 1, 2));
    }

    public TablePlan Plan { get; }
    public TableAggregator Aggregator { get; }
    public DisclosureInputException? Error { get; private set; }
    public bool Live => Error is null;
    /// <summary>Data rows in the file (set at the end of the pass).</summary>
    public long RowsRead { get; set; }
    public long RowsMatched { get; private set; }
    public long RowsUsed { get; private set; }

    /// <summary>Counts rows that were added to the aggregator directly (a table without filter: every row matched and used).</summary>
    public void CountRowsAddedWhole(long rows)
    {
        RowsMatched += rows;
        RowsUsed += rows;
        RowsRead += rows;
    }

    /// <summary>Ends the table with its first input error (later ones are ignored).</summary>
    public void Fail(DisclosureInputException error) => Error ??= error;

    /// <summary>Starts a chunk whose records are added next (table number <paramref name="table"/> in it).</summary>
    public void BeginChunk(ParsedChunk chunk, int table)
    {
        var local = chunk.Categories[table];
        _globalCode = local.Select(c => Enumerable.Repeat(-1, c.Count).ToArray()).ToArray();
        _innerOfLocalLeaf.Clear();
    }

    /// <summary>Adds record <paramref name="record"/> of the chunk; <paramref name="unit"/> is its unit code when the record is in the table.</summary>
    public void Add(ParsedChunk chunk, int table, int record, UnitRegistry units, int unit)
    {
        var leaf = chunk.Leaves[table][record];
        if (leaf == TablePlan.Skipped) return;
        RowsMatched++;
        try
        {
            if (!_innerOfLocalLeaf.TryGetValue(leaf, out var inner))
            {
                inner = Aggregator.InnerCell(ToTableCodes(chunk, table, record, leaf));
                _innerOfLocalLeaf.Add(leaf, inner);
            }
            if (!Aggregator.Add(unit, inner, chunk.Value(table, record), chunk.Weight(table, record)))
                throw new DisclosureInputException(_fileName, chunk.Lines[record],
                    $"unit '{CsvReader.Cut(units.Describe(unit))}' has a different weight than on an earlier row; a unit must have one weight");
            RowsUsed++;
        }
        catch (DisclosureInputException e) { Fail(e); }
    }

    private long ToTableCodes(ParsedChunk chunk, int table, int record, long localLeaf)
    {
        var spec = Plan.Spec;
        long leaf = 0;
        for (var d = 0; d < _globalCode.Length; d++)
        {
            var local = (int)((localLeaf >> (TablePlan.BitsPerDimension * d)) & TablePlan.CodeMask);
            ref var code = ref _globalCode[d][local];
            if (code < 0)
            {
                var name = chunk.Categories[table][d].Names[local];
                code = Aggregator.Categories[d].GetOrAdd(name, out var added);
                if (added)
                {
                    if (spec.Margins && name == TableDimension.TotalLabel)
                        throw new DisclosureInputException(_fileName, chunk.Lines[record],
                            $"column '{spec.Dimensions[d]}' has a category 'Total', which is reserved for margins");
                    if (Aggregator.CellCount() > _maxCells)
                        throw spec.ErrorAt("rows", $"the table would have more than {_maxCells:N0} cells (policy limit); refused before aggregation");
                }
            }
            leaf |= (long)code << (TablePlan.BitsPerDimension * d);
        }
        return leaf;
    }
}
