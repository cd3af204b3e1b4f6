using Datakamp.Disclosure;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;

namespace Datakamp.Benchmarks.Releases;

/// <summary>
/// The alternative: the disclosure engine alone on the same table, as <c>datakamp check --data --policy --spec
/// --submitted</c> runs it (load the policy and the spec, then <see cref="DisclosureChecker.CheckAsync"/>), in this
/// process, with no queue, no database and no content store.
/// </summary>
internal sealed class DirectEngine(string personsCsv, string policyFile, string folder)
{
    /// <summary>Writes the table's two files where a user would have them (not timed).</summary>
    public void Prepare(TableFiles table)
    {
        File.WriteAllText(Path.Combine(folder, table.CsvName), table.Csv);
        File.WriteAllText(Path.Combine(folder, table.SpecName), table.Spec);
    }

    public async Task<Timing> CheckAsync(TableFiles table, CancellationToken cancellationToken)
    {
        var start = Clock.Now;
        var policy = PolicyLoader.LoadFile(policyFile);
        var spec = TableSpecLoader.LoadFile(Path.Combine(folder, table.SpecName));
        var submitted = new Dictionary<string, string>(StringComparer.Ordinal) { [spec.File] = Path.Combine(folder, table.CsvName) };
        var verdict = await DisclosureChecker.CheckAsync(new CheckRequest(personsCsv, [spec], policy, submitted), cancellationToken: cancellationToken);
        var file = verdict.Files[0];
        return new Timing(table.Name, Clock.Now - start, file.Status.ToString().ToLowerInvariant()) { Reasons = string.Join(" ", file.Reasons) };
    }
}
