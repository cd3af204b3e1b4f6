using Datakamp.Domain;
using Microsoft.Extensions.Logging;
using Datakamp.Data;
using Datakamp.Data.Releases;
using Datakamp.Data.Repositories;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Verdicts;
using Datakamp.Domain.Audit;
using Datakamp.Domain.Datasets;
using Datakamp.Domain.Releases;

namespace Datakamp.Releases;

/// <summary>
/// The automated check of one release request, on the snapshot in the content store (never on the sandbox):
/// <list type="bullet">
/// <item>a <c>.spec.yaml</c> names a table: it is recomputed by the disclosure engine from the host's copy of a dataset
/// granted to the team, under that dataset's policy, and compared with the submitted file the spec names. The spec and
/// that file get the table's verdict. All specs on one dataset are checked together (linked tables);</item>
/// <item>every other file gets the checks that apply to its type (<see cref="OtherFileChecks"/>) and is at best
/// <c>review</c>: a person looks at it;</item>
/// <item>fail closed: a spec that cannot be read, a dataset that is not granted, a policy that does not load, or a
/// fault of the engine, is <c>fail</c> or <c>review</c> with the reason, never <c>pass</c>.</item>
/// </list>
/// Each file's result is stored once (a check repeated after a crash does not overwrite); when every file of the
/// current version has one, the request moves to <c>checked</c>. Running it again on a checked request changes nothing.
/// </summary>
public sealed class RequestChecker(DatasetRepository datasets, ContentStore store, CheckerFolders folders, DatasetCaches caches, TimeProvider clock,
    ILogger<RequestChecker> logger)
{
    private const string SpecSuffix = ".spec.yaml";

    /// <summary>After this many failed attempts (faults outside the engine), the files go to a person instead.</summary>
    public const int MaxAttempts = 3;

    private const string Actor = "system:checker";

    /// <summary>
    /// Checks the claimed files and writes their results, their audit events and (when the version is fully checked) the
    /// move to <c>checked</c>, all in the claim's transaction. A withdrawn or superseded version is discarded unchecked.
    /// </summary>
    public async Task CheckAsync(ClaimedCheck claim, CancellationToken cancellationToken)
    {
        if (!claim.IsCurrent)
        {
            await claim.DiscardAsync(cancellationToken);
            return;
        }
        var record = claim.Record;
        var pending = record.CurrentFiles.Where(f => f.Check is null && claim.FileNames.Contains(f.Name)).ToList();
        IReadOnlyDictionary<string, FileCheckResult> results;
        if (claim.FailedAttempts >= MaxAttempts)
        {
            // Fail closed: what the host could not evaluate goes to a person, never through.
            var message = $"The automated check failed {claim.FailedAttempts} times ({claim.LastError}); a checker must review this file by hand.";
            results = pending.ToDictionary(f => f.Name, _ => FileCheckResult.Review(message));
        }
        else
        {
            results = pending.Count == 0 ? new Dictionary<string, FileCheckResult>() : await EvaluateAsync(record, cancellationToken);
        }

        var outcomes = pending.Select(file =>
        {
            var result = results[file.Name];
            var audit = AuditEntries.ForReleaseRequest(Actor, AuditActions.ReleaseFileChecked, record,
                new { version = record.Request.Version, file = file.Name, sha256 = file.Sha256, status = Word(result.Status), summary = result.Summary }, result.DatasetId);
            return new FileCheckOutcome(file.Name, result.Status, result.Summary, result.VerdictJson, result.DatasetId, audit);
        }).ToList();

        var at = clock.GetUtcNow();
        await claim.CompleteAsync(outcomes, Actor, at, current =>
        {
            current.Request.MarkChecked(at);
            var files = current.CurrentFiles.ToDictionary(f => f.Name, f => Word(f.Check!.Value));
            return new ReleaseChange([AuditEntries.ForReleaseRequest(Actor, AuditActions.ReleaseChecked, current, new { version = current.Request.Version, files })]);
        }, cancellationToken);
    }

    /// <summary>The result for every file of the current version. Never throws for a team's bad file: that is a result too.</summary>
    private async Task<Dictionary<string, FileCheckResult>> EvaluateAsync(ReleaseRecord record, CancellationToken cancellationToken)
    {
        var files = record.CurrentFiles;
        var results = new Dictionary<string, FileCheckResult>(StringComparer.Ordinal);
        var work = Directory.CreateDirectory(Path.Combine(folders.WorkDirectory, $"{record.Request.Id}-v{record.Request.Version}-{Guid.NewGuid():N}"));
        try
        {
            // The snapshot, read back (and so verified against its SHA-256) into a private folder for the engine.
            var paths = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var path = Path.Combine(work.FullName, file.Name);
                try
                {
                    await using var content = await store.OpenReadAsync(file.Sha256, cancellationToken);
                    await using var copy = File.Create(path);
                    await content.CopyToAsync(copy, cancellationToken);
                    paths[file.Name] = path;
                }
                catch (Exception e) when (e is ContentTamperedException or IOException)
                {
                    results[file.Name] = FileCheckResult.Failed($"The stored copy of this file could not be read back intact ({e.Message}); it is not checked and cannot be released.");
                }
            }

            var granted = await datasets.ListGrantedToTeamAsync(record.Request.TeamId, GrantCalendar.Today(clock), cancellationToken);
            var specs = new List<(ReleaseFile File, TableSpec Spec, Dataset Dataset)>();
            foreach (var file in files.Where(f => f.Name.EndsWith(SpecSuffix, StringComparison.Ordinal) && paths.ContainsKey(f.Name)))
            {
                var (spec, problem, dataset) = ReadSpec(file.Name, paths[file.Name], files, granted);
                if (problem is null)
                {
                    specs.Add((file, spec!, dataset!));
                    continue;
                }
                results[file.Name] = FileCheckResult.Failed(problem, dataset?.Id);
                // The table beside it (NAME.csv for NAME.spec.yaml, as the helper writes them) cannot be recomputed either:
                // it gets the spec's problem, not the milder "table without a spec".
                var table = file.Name[..^SpecSuffix.Length] + ".csv";
                if (paths.ContainsKey(table))
                    results.TryAdd(table, FileCheckResult.Failed($"Its spec {file.Name} cannot be used, so this table cannot be recomputed: {problem}", dataset?.Id));
            }

            // One engine run per dataset: the tables on it are linked (secondary suppression looks across them).
            foreach (var group in specs.GroupBy(s => s.Dataset.Id))
            {
                var dataset = group.First().Dataset;
                foreach (var (name, result) in await RunEngineAsync(dataset, group.ToList(), paths, cancellationToken))
                    results[name] = result;
            }

            foreach (var file in files.Where(f => !results.ContainsKey(f.Name)))
                results[file.Name] = paths.TryGetValue(file.Name, out var path)
                    ? await OtherFileChecks.CheckAsync(file.Name, path, cancellationToken)
                    : FileCheckResult.Failed("The stored copy of this file is missing; it cannot be checked or released.");
            return results;
        }
        finally
        {
            try { work.Delete(recursive: true); }
            catch (IOException e) { logger.LogWarning("Could not remove the check folder {Folder}: {Reason}", work.FullName, e.Message); }
        }
    }

    /// <summary>Reads a spec and finds its dataset among the team's grants and its submitted file among the request's files.</summary>
    private static (TableSpec? Spec, string? Problem, Dataset? Dataset) ReadSpec(string name, string path, IReadOnlyList<ReleaseFile> files, IReadOnlyList<Dataset> granted)
    {
        TableSpec spec;
        try
        {
            spec = TableSpecLoader.Parse(File.ReadAllText(path), name);
        }
        catch (DisclosureInputException e)
        {
            return (null, $"The spec could not be read: {e.Message}", null);
        }
        if (spec.Dataset.StartsWith("workspace:", StringComparison.Ordinal))
            return (null, $"The table is computed from '{spec.Dataset}', a file in the team's workspace: the host cannot recompute it from the microdata, so it cannot pass. Compute it from a granted dataset, or ask a checker to review it by hand.", null);
        var dataset = granted.FirstOrDefault(d => d.Name == spec.Dataset);
        if (dataset is null)
            return (null, $"{name}: dataset '{spec.Dataset}' is not granted to this team (granted: {(granted.Count == 0 ? "none" : string.Join(", ", granted.Select(d => d.Name)))}).", null);
        // Units are what the threshold counts: a team that names another column (a row number, an income) would make
        // every row its own "person". Only the unit registered for the dataset is accepted.
        if (spec.Unit != dataset.UnitColumn)
            return (null, $"{name}: unit '{spec.Unit}' is not the unit of dataset '{dataset.Name}'; contributors are counted by '{dataset.UnitColumn}'.", dataset);
        if (!spec.NamesSubmittedFile)
            return (null, $"{name}: the spec has no 'file:' naming the submitted table it describes; add it and submit the spec and its table together.", dataset);
        var submitted = Path.GetFileName(spec.File);
        if (submitted != spec.File || files.All(f => f.Name != submitted))
            return (null, $"{name}: the submitted table '{spec.File}' named by the spec is not a file of this request; submit the spec and its table together.", dataset);
        return (spec, null, dataset);
    }

    private async Task<List<(string Name, FileCheckResult Result)>> RunEngineAsync(Dataset dataset, List<(ReleaseFile File, TableSpec Spec, Dataset Dataset)> specs,
        Dictionary<string, string> paths, CancellationToken cancellationToken)
    {
        var names = specs.SelectMany(s => new[] { s.File.Name, s.Spec.File }).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            var policy = PolicyLoader.LoadFile(Path.Combine(folders.PoliciesDirectory, dataset.Policy + ".yaml"));
            var submitted = specs.ToDictionary(s => s.Spec.File, s => paths[s.Spec.File], StringComparer.Ordinal);
            // The dataset's columnar cache, built at registration (or here, the first time it is missing).
            var request = new CheckRequest(dataset.FilePath, specs.Select(s => s.Spec).ToList(), policy, submitted,
                MicrodataCachePath: caches.PathOf(dataset.Sha256));
            var verdict = await DisclosureChecker.CheckAsync(request, cancellationToken: cancellationToken);
            if (verdict.Microdata.Sha256 is { } sha && sha != dataset.Sha256)
            {
                // The file on the host is not the one registered: nothing computed from it can be trusted to pass.
                var message = $"The microdata file of dataset '{dataset.Name}' changed since it was registered (SHA-256 {sha[..12]}…, registered {dataset.Sha256[..12]}…); ask staff.";
                return names.Select(n => (n, FileCheckResult.Failed(message, dataset.Id))).ToList();
            }
            var results = new List<(string, FileCheckResult)>();
            for (var i = 0; i < specs.Count; i++)
            {
                var table = verdict.Files[i];
                var one = verdict with { Status = table.Status, Reasons = [.. table.Reasons], Files = [table] };
                var json = VerdictJsonContext.Serialize(one);
                var summary = Summary(table);
                results.Add((specs[i].Spec.File, new FileCheckResult(ToCheck(table.Status), summary, json, dataset.Id)));
                results.Add((specs[i].File.Name, new FileCheckResult(ToCheck(table.Status), $"Spec of {specs[i].Spec.File}: {summary}", json, dataset.Id)));
            }
            return results;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The engine could not judge: a person must (never pass). The reason is kept for the checker and the team.
            logger.LogError("The disclosure engine failed on {Files} (dataset {Dataset}): {Reason}", string.Join(", ", names), dataset.Name, LogText.Excerpt(e.ToString(), 2000));
            var message = e is DisclosureInputException ? e.Message : $"The disclosure engine could not check this table ({e.GetType().Name}: {e.Message}); a checker must review it.";
            return names.Select(n => (n, new FileCheckResult(AutomatedCheck.Review, message, null, dataset.Id))).ToList();
        }
    }

    private static string Summary(FileVerdict table)
    {
        var failing = table.Cells.Count(c => c.Status == CheckStatus.Fail);
        var secondary = table.Cells.Count(c => c.SecondarySuppressed);
        var head = table.Status switch
        {
            CheckStatus.Pass => "Every cell passed the policy's rules.",
            _ => string.Join(" ", table.Reasons),
        };
        return table.Cells.Count == 0 ? head : $"{head} ({table.Cells.Count} cells; {failing} unsafe; {secondary} secondary suppressions suggested.)";
    }

    private static AutomatedCheck ToCheck(CheckStatus status) => status switch
    {
        CheckStatus.Pass => AutomatedCheck.Pass,
        CheckStatus.Review => AutomatedCheck.Review,
        _ => AutomatedCheck.Fail,
    };

    private static string Word(AutomatedCheck check) => check.ToString().ToLowerInvariant();
}

/// <summary>What the automated check found for one file: a status, a sentence for people, the engine's verdict for a table.</summary>
public sealed record FileCheckResult(AutomatedCheck Status, string Summary, string? VerdictJson, long? DatasetId)
{
    public static FileCheckResult Failed(string summary, long? datasetId = null) => new(AutomatedCheck.Fail, summary, null, datasetId);
    public static FileCheckResult Review(string summary) => new(AutomatedCheck.Review, summary, null, null);
}
