using Datakamp.Disclosure;
using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Check;

/// <summary>
/// <c>datakamp check</c>: recomputes one or more tables (linked tables: several specs, one pass over the
/// microdata) from the microdata, checks them against a policy, optionally compares submitted files,
/// writes the verdict JSON and a readable summary (<c>--details</c>: every table in full). Exit code: the
/// verdict (0 pass, 1 fail, 2 review), or 64 usage, 65 bad data/spec/policy, 66 file or policy name not
/// found, each with one line on stderr. Everything a person can get wrong is checked before the microdata is read.
/// </summary>
public static class CheckCommand
{
    /// <summary>Runs the check the command line <paramref name="args"/> (without the verb) asks for; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return await RunCheckedAsync(args);
        }
        catch (UsageException e)
        {
            return ErrorLine.Write(e.Message, CheckExitCodes.Usage);
        }
        catch (DisclosureInputException e)
        {
            return ErrorLine.Write(e.Message, CheckExitCodes.BadInput);
        }
        catch (Exception e)
        {
            return ErrorLine.Unexpected(e, CheckExitCodes.Unexpected);
        }
    }

    private static async Task<int> RunCheckedAsync(string[] args)
    {
        if (CheckOptions.WantsHelp(args))
        {
            Console.Out.WriteLine(CheckHelp.Text);
            return CheckExitCodes.Pass;
        }
        var options = CheckOptions.Parse(args);
        // The configuration is read only for a policy given by name, and then only its one setting: building it and binding
        // every storage option took about 50 ms of each check.
        var (policyPath, policyError) = PolicyArgument.Resolve(options.Policy, CheckSettings.PoliciesDirectory);
        if (policyPath is null) return ErrorLine.Write(policyError!, CheckExitCodes.NotFound);
        foreach (var path in new[] { options.Data }.Concat(options.Specs).Concat(options.Submitted))
            if (!File.Exists(path))
                return ErrorLine.Write($"{path}: no such file", CheckExitCodes.NotFound);
        if (options.Out is not null) VerdictOutput.EnsureWritable(options.Out);

        Policy policy;
        List<TableSpec> specs;
        try
        {
            policy = PolicyLoader.LoadFile(policyPath);
            specs = options.Specs.Select(TableSpecLoader.LoadFile).ToList();
        }
        catch (DisclosureInputException e)
        {
            return ErrorLine.Write(e.Message, CheckExitCodes.BadInput);
        }
        var submitted = MatchSubmitted(specs, options.Submitted);

        var request = new CheckRequest(options.Data, specs, policy, submitted, options.Delimiter, RequireSubmittedFiles: false,
            MicrodataCachePath: options.Cache ? MicrodataCacheLocation.For(options.Data) : null);
        VerdictDocument verdict;
        using (var progress = CheckProgress.ForTerminal(Path.GetFileName(options.Data), new FileInfo(options.Data).Length))
            verdict = await DisclosureChecker.CheckAsync(request, progress);

        if (options.Out is not null) VerdictOutput.Write(options.Out, verdict);
        var width = Console.IsOutputRedirected ? 120 : Math.Max(Console.WindowWidth, 60);
        if (options.Details) VerdictDetails.Write(Console.Out, verdict, width);
        else VerdictSummary.Write(Console.Out, verdict, options.Out);

        // A table that could not be checked at all (bad data, a column not in the data, ...) is bad input.
        var unreadable = verdict.Files.Where(f => f.Status == CheckStatus.Fail && f.RowsRead is null).ToList();
        foreach (var f in unreadable) ErrorLine.Write(f.Reasons.FirstOrDefault() ?? $"{f.File}: could not be checked", CheckExitCodes.BadInput);
        if (unreadable.Count > 0) return CheckExitCodes.BadInput;
        return verdict.Status switch
        {
            CheckStatus.Pass => CheckExitCodes.Pass,
            CheckStatus.Review => CheckExitCodes.Review,
            _ => CheckExitCodes.Fail,
        };
    }

    // A submitted table belongs to the spec whose `file:` has its file name; with one spec and one file they pair anyway.
    // Comparing is what `file:` is for: a spec without it cannot take a submitted table.
    private static Dictionary<string, string> MatchSubmitted(List<TableSpec> specs, IReadOnlyList<string> files)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (files.Count > 0 && specs.FirstOrDefault(s => !s.NamesSubmittedFile) is { } unnamed)
            throw unnamed.ErrorAt("file", "missing key 'file': with --submitted, every spec must name the submitted table it describes");
        foreach (var path in files)
        {
            var spec = specs.FirstOrDefault(s => Path.GetFileName(s.File) == Path.GetFileName(path))
                ?? (specs.Count == 1 && files.Count == 1 ? specs[0] : null)
                ?? throw new UsageException($"check: --submitted {path} matches no spec's 'file' ({string.Join(", ", specs.Select(s => s.File))})");
            if (!result.TryAdd(spec.File, path)) throw new UsageException($"check: two --submitted files for '{spec.File}'");
        }
        return result;
    }
}
