using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure;

/// <summary>
/// What to check: one microdata file (CSV, header row), the specs of the submitted tables, the policy,
/// and where each submitted table is on disk, keyed by the spec's <c>file</c> value. The checker reads
/// only these files. With <paramref name="RequireSubmittedFiles"/> false (a checker trying a spec before
/// anything is submitted, <c>datakamp check</c> without <c>--submitted</c>), a spec whose file is not given
/// is checked on the recomputation alone and the verdict says that nothing was compared.
/// With <paramref name="MicrodataCachePath"/>, the tables are recomputed from that columnar cache of the
/// microdata (built there first when missing or not valid for the CSV's current SHA-256).
/// </summary>
public sealed record CheckRequest(
    string MicrodataPath,
    IReadOnlyList<TableSpec> Specs,
    Policy Policy,
    IReadOnlyDictionary<string, string> SubmittedFiles,
    char MicrodataDelimiter = ',',
    bool RequireSubmittedFiles = true,
    string? MicrodataCachePath = null);
