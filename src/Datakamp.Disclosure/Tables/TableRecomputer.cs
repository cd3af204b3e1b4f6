using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Tables;

/// <summary>
/// Recomputes tables from microdata in one streaming pass, however many tables there are. The file is
/// read and hashed on one thread (<see cref="MicrodataChunkReader"/>), its chunks are parsed on all
/// cores (<see cref="ChunkParser"/>), and one thread adds the parsed records in file order to each
/// table (<see cref="TableRun"/>), so results and the first error reported are the same as reading row
/// by row. Memory does not grow with the file, only with the number of units (see <see cref="TableAggregator"/>).
/// The header is checked (every spec and filter column must exist) before any data row is read.
/// Refuses, with a clear error and never a silent pass: an empty dataset, a filter that matches nothing,
/// a table with more cells than the policy allows (checked as soon as a new category appears, before
/// the table is built), an empty unit id, a value or weight that is not a number.
/// </summary>
public static class TableRecomputer
{
    /// <summary>Recomputes one table. <paramref name="fileName"/> is the name used in error messages.</summary>
    public static RecomputedTable Recompute(Stream microdata, string fileName, TableSpec spec, Policy policy,
        char delimiter = ',', CancellationToken cancellationToken = default)
    {
        var outcome = RecomputeAll(microdata, fileName, [spec], policy, delimiter, null, cancellationToken).Tables[0];
        return outcome.Table ?? throw outcome.Error!;
    }

    /// <summary>
    /// Recomputes every spec's table in one pass. An input error in one spec or its columns fails that
    /// table only; an error in the file itself (CSV syntax, no data) fails them all.
    /// </summary>
    public static MicrodataPass RecomputeAll(Stream microdata, string fileName, IReadOnlyList<TableSpec> specs, Policy policy,
        char delimiter = ',', IProgress<long>? bytesRead = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        using var chunks = new MicrodataChunkReader(microdata, bytesRead, cancellationToken);
        MicrodataChunk? first = null;
        CsvReader? headerReader = null;
        IReadOnlyList<string> ReadHeader()
        {
            first = chunks.Next() ?? new MicrodataChunk([], 0, 1);
            headerReader = new CsvReader(fileName, delimiter);
            headerReader.Load(first);
            return headerReader.ReadHeader();
        }
        // The first chunk goes on with the reader that read its header; each later one gets its own reader.
        IEnumerable<ChunkJob> Jobs()
        {
            var head = first!;
            yield return new ChunkJob(() => headerReader!, head.Length > 0 ? () => chunks.Return(head) : null);
            if (head.Length == 0) yield break;
            while (chunks.Next() is { } next)
                yield return new ChunkJob(() =>
                {
                    var csv = new CsvReader(fileName, delimiter);
                    csv.Load(next);
                    return csv;
                }, () => chunks.Return(next));
        }
        var (outcomes, complete) = Pass(fileName, specs, policy, ReadHeader, _ => Jobs(), cancellationToken)!.Value;
        return new MicrodataPass(outcomes, complete ? chunks.Sha256 : null, chunks.BytesRead);
    }

    /// <summary>
    /// Recomputes every spec's table from a columnar cache of the CSV instead of the CSV: the same plans,
    /// parser and aggregation over the same field bytes and lines, so the same tables and the same errors.
    /// The caller has verified that the cache belongs to the CSV whose SHA-256 is <paramref name="csvSha256"/>.
    /// Null when a column the tables need is damaged in the cache: then the CSV must be read.
    /// </summary>
    internal static MicrodataPass? RecomputeAll(MicrodataCache cache, string csvSha256, long csvBytes, string fileName,
        IReadOnlyList<TableSpec> specs, Policy policy, char delimiter = ',', CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (ColumnarAggregation.TryRecompute(cache, fileName, specs, policy, cancellationToken) is { } tables)
            return new MicrodataPass(tables, csvSha256, csvBytes);
        // Rows per job: large enough that per-job overhead vanishes, small enough to keep every core busy.
        const int rowsPerJob = 1 << 15;
        IEnumerable<ChunkJob>? Jobs(TablePlan[] plans)
        {
            var columns = plans.SelectMany(p => p.Fields()).Distinct().Order().ToArray();
            if (!cache.TryLoad(columns)) return null;
            var rows = (int)cache.Rows;
            // At least one job, so an empty dataset ends as it does from the CSV ("no data rows").
            return Enumerable.Range(0, Math.Max(1, (rows + rowsPerJob - 1) / rowsPerJob)).Select(j => new ChunkJob(() =>
            {
                var csv = new CsvReader(fileName, delimiter);
                csv.Load(cache, columns, j * rowsPerJob, Math.Min(rows, (j + 1) * rowsPerJob));
                return csv;
            }, null));
        }
        if (Pass(fileName, specs, policy, () => cache.Header, Jobs, cancellationToken) is not { } pass) return null;
        return new MicrodataPass(pass.Outcomes, pass.Complete ? csvSha256 : null, csvBytes);
    }

    /// <summary>
    /// One piece of the microdata to parse on a pool thread: <see cref="Load"/> gives a reader positioned
    /// on its records, <see cref="Done"/> (optional) runs once they are parsed.
    /// </summary>
    private sealed record ChunkJob(Func<CsvReader> Load, Action? Done);

    /// <summary>
    /// The pass itself, whatever the records come from: plans from the header, then the jobs parsed in
    /// parallel and aggregated in order. Null when <paramref name="jobs"/> refuses (returns null).
    /// </summary>
    private static (TableOutcome[] Outcomes, bool Complete)? Pass(string fileName, IReadOnlyList<TableSpec> specs, Policy policy,
        Func<IReadOnlyList<string>> readHeader, Func<TablePlan[], IEnumerable<ChunkJob>?> jobs, CancellationToken cancellationToken)
    {
        var runs = new TableRun?[specs.Count];
        var errors = new DisclosureInputException?[specs.Count];
        try
        {
            var header = readHeader();
            for (var t = 0; t < specs.Count; t++)
            {
                try { runs[t] = new TableRun(TablePlan.Create(specs[t], header, fileName), policy, fileName); }
                catch (DisclosureInputException e) { errors[t] = e; }
            }
            var live = runs.Where(r => r is not null).Select(r => r!).ToArray();
            if (live.Length > 0)
            {
                var work = jobs(live.Select(r => r.Plan).ToArray());
                if (work is null) return null;
                Aggregate(work, header.Count, live, fileName, cancellationToken);
            }
        }
        catch (DisclosureInputException e)
        {
            // The file itself is wrong: every table still running fails with it.
            foreach (var run in runs) run?.Fail(e);
            for (var t = 0; t < specs.Count; t++) errors[t] ??= runs[t] is null ? e : null;
        }
        catch (IOException e)
        {
            var error = new DisclosureInputException(fileName, null, $"cannot read the microdata: {e.Message}");
            foreach (var run in runs) run?.Fail(error);
            for (var t = 0; t < specs.Count; t++) errors[t] ??= runs[t] is null ? error : null;
        }

        var outcomes = new TableOutcome[specs.Count];
        var complete = runs.Any(r => r is { Live: true });
        for (var t = 0; t < specs.Count; t++)
        {
            var error = errors[t] ?? runs[t]!.Error;
            outcomes[t] = error is not null ? new TableOutcome(specs[t], null, error) : Build(runs[t]!, fileName);
        }
        return (outcomes, complete);
    }

    private static void Aggregate(IEnumerable<ChunkJob> jobs, int fieldCount, TableRun[] runs, string fileName, CancellationToken ct)
    {
        var plans = runs.Select(r => r.Plan).ToArray();
        var unitFields = plans.Select(p => p.UnitField).Distinct().ToArray();
        var unitColumnOf = plans.Select(p => Array.IndexOf(unitFields, p.UnitField)).ToArray();
        var registries = unitFields.Select(_ => new UnitRegistry()).ToArray();
        // Parsed chunks are reused: after the first few, parsing allocates next to nothing.
        var free = new System.Collections.Concurrent.ConcurrentQueue<ParsedChunk>();
        ParsedChunk Rent() => free.TryDequeue(out var c) ? c : ChunkParser.Create(plans, unitFields.Length, 1 << 13);

        // Parse ahead on the thread pool, a few chunks per core, and add the results in file order.
        var pending = new Queue<Task<ParsedChunk>>();
        var maxPending = Environment.ProcessorCount + 2;
        using var next = jobs.GetEnumerator();
        var more = true;
        long rowsRead = 0;
        while (true)
        {
            while (more && pending.Count < maxPending)
            {
                if (!next.MoveNext()) { more = false; break; }
                var job = next.Current;
                var target = Rent();
                pending.Enqueue(Task.Run(() =>
                {
                    var parsed = ChunkParser.Parse(job.Load(), fieldCount, plans, unitFields, unitColumnOf, target);
                    job.Done?.Invoke();
                    return parsed;
                }, ct));
            }
            if (pending.Count == 0) break;
            var parsed = pending.Dequeue().GetAwaiter().GetResult();
            ct.ThrowIfCancellationRequested();
            rowsRead += parsed.Records;
            AddChunk(parsed, runs, unitColumnOf, registries);
            if (parsed.Errors.Count > 0 && parsed.Errors[^1].Table < 0) throw parsed.Errors[^1].Error;
            free.Enqueue(parsed);
            if (runs.All(r => !r.Live)) return;
        }
        if (rowsRead == 0) throw new DisclosureInputException(fileName, null, "the dataset has no data rows; nothing can be checked");
        foreach (var run in runs) run.RowsRead = rowsRead;
    }

    private static void AddChunk(ParsedChunk chunk, TableRun[] runs, int[] unitColumnOf, UnitRegistry[] registries)
    {
        for (var t = 0; t < runs.Length; t++) if (runs[t].Live) runs[t].BeginChunk(chunk, t);
        var codes = new int[registries.Length];
        var nextError = 0;
        for (var r = 0; r < chunk.Records; r++)
        {
            codes.AsSpan().Fill(-1);
            for (var t = 0; t < runs.Length; t++)
            {
                var run = runs[t];
                if (!run.Live) continue;
                var u = unitColumnOf[t];
                if (chunk.Leaves[t][r] >= 0 && codes[u] < 0)
                {
                    var key = chunk.UnitKeys[u][r];
                    codes[u] = (key & UnitKey.TextFlag) == 0 ? registries[u].GetOrAdd(key)
                        : registries[u].GetOrAdd(chunk.TextIds[(int)(key & ~UnitKey.TextFlag)]);
                }
                run.Add(chunk, t, r, registries[u], codes[u]);
            }
            // A table's parse error on this record ends that table here, after its earlier rows.
            while (nextError < chunk.Errors.Count && chunk.Errors[nextError].Record == r && chunk.Errors[nextError].Table >= 0)
            {
                runs[chunk.Errors[nextError].Table].Fail(chunk.Errors[nextError].Error);
                nextError++;
            }
        }
    }

    /// <summary>The table of a finished run, or the error that an empty or all-missing table is.</summary>
    internal static TableOutcome Build(TableRun run, string fileName)
    {
        var spec = run.Plan.Spec;
        try
        {
            if (run.RowsMatched == 0) throw spec.ErrorAt("filter", $"the filter matches none of the {Plural.Count(run.RowsRead, "row", "rows")}; an empty table cannot be checked");
            // Rows with an empty dimension value are aggregated too (for linked secondary suppression), yet in no published cell.
            var missing = run.Aggregator.RowsWithMissingCategory();
            if (run.RowsUsed == missing) throw spec.ErrorAt("rows", "every matching row has an empty value in a dimension column; the table is empty");
            return new TableOutcome(spec, run.Aggregator.Build(spec, run.RowsRead, run.RowsUsed - missing, missing), null);
        }
        catch (DisclosureInputException e)
        {
            return new TableOutcome(spec, null, e);
        }
    }
}
