using Datakamp.Disclosure.Microdata;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure.Screening;

/// <summary>
/// Cheap checks before any recomputation (as job-runner's release pre-screen): the submitted file's
/// extension is allowed, its size is within the limit, and neither the spec's dimensions nor the
/// submitted file's columns are identifier columns the policy forbids. Each failure is an input error.
/// </summary>
public static class PreScreen
{
    /// <summary>Throws <see cref="DisclosureInputException"/> when the submitted file or spec is not acceptable.</summary>
    public static void Check(TableSpec spec, string submittedPath, Policy policy)
    {
        var name = Path.GetFileName(spec.File);
        var ext = Path.GetExtension(name).ToLowerInvariant();
        if (!policy.Limits.AllowedExtensions.Contains(ext))
            throw new DisclosureInputException(name, null,
                $"files of type '{(ext.Length == 0 ? "(none)" : ext)}' may not be released (allowed: {string.Join(", ", policy.Limits.AllowedExtensions)})");
        var info = new FileInfo(submittedPath);
        if (!info.Exists) throw new DisclosureInputException(name, null, "the submitted file does not exist");
        if (info.Length > policy.Limits.MaxFileBytes)
            throw new DisclosureInputException(name, null, $"the file has {info.Length:N0} bytes, more than the limit of {policy.Limits.MaxFileBytes:N0}");
        var forbidden = CheckDimensions(spec, policy);
        using var csv = new CsvReader(File.OpenRead(submittedPath), name, spec.Delimiter);
        foreach (var h in csv.ReadHeader())
            if (forbidden.Contains(h))
                throw new DisclosureInputException(name, 1, $"the file has an identifier column '{CsvReader.Cut(h)}'");
    }

    /// <summary>Throws when a dimension of <paramref name="spec"/> is an identifier column the policy forbids; returns those columns.</summary>
    public static IReadOnlySet<string> CheckDimensions(TableSpec spec, Policy policy)
    {
        var forbidden = new HashSet<string>(policy.Limits.ForbiddenColumns, StringComparer.OrdinalIgnoreCase);
        foreach (var d in spec.Dimensions)
            if (forbidden.Contains(d))
                throw spec.ErrorAt(spec.KeyOf(d), $"'{d}' is an identifier column and may not be a table dimension");
        return forbidden;
    }
}
