using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Disclosure;

/// <summary>
/// What to check: one microdata file (CSV, header row), the specs of the submitted tables, the policy,
/// and where each submitted table is on disk, keyed by the spec's <c>file</c> value. The checker reads
/// only these files.
/// </summary>
public sealed record CheckRequest(
    string MicrodataPath,
    IReadOnlyList<TableSpec> Specs,
    Policy Policy,
    IReadOnlyDictionary<string, string> SubmittedFiles,
    char MicrodataDelimiter = ',');
