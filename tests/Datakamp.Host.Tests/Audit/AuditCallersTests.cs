using System.Text.RegularExpressions;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Audit;

/// <summary>
/// Issue 14: everything the host records goes through one small audit service. Entries are made by AuditEntries only
/// (never assembled field by field in a caller), and appended by the AuditTrail service, or, inside a repository's own
/// transaction, by the audit log itself.
/// </summary>
public sealed partial class AuditCallersTests
{
    [Fact]
    public void No_code_outside_the_audit_service_builds_or_appends_an_audit_entry_by_hand()
    {
        var src = Path.Combine(TestEnvironment.RepositoryRoot, "src");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(src, f), Line: i + 1, Text: line)))
            .Where(l => (HandBuiltEntry().IsMatch(l.Text) && !l.File.EndsWith("AuditEntries.cs", StringComparison.Ordinal) && !l.File.EndsWith("AuditLog.cs", StringComparison.Ordinal))
                        || (AppendOutsideData().IsMatch(l.Text) && !l.File.StartsWith("Datakamp.Data", StringComparison.Ordinal)))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "Audit entries built or appended by hand:\n" + string.Join("\n", offenders));
    }

    /// <summary>The audit trail itself is found by this test, so the test cannot pass by looking in the wrong place.</summary>
    [Fact]
    public void The_scan_sees_the_audit_service_and_the_entry_maker()
    {
        var src = Path.Combine(TestEnvironment.RepositoryRoot, "src");
        Assert.Contains("new(actor, action, \"dataset\"", File.ReadAllText(Path.Combine(src, "Datakamp.Domain", "Audit", "AuditEntries.cs")));
        Assert.Matches(AppendOutsideData(), File.ReadAllText(Path.Combine(src, "Datakamp.Data", "Audit", "AuditTrail.cs")));
    }

    [GeneratedRegex(@"new\s+AuditEntry\s*\(")]
    private static partial Regex HandBuiltEntry();

    [GeneratedRegex(@"new\s+(Data\.Audit\.)?AuditLog\s*\([^)]*\)\s*\.\s*AppendAsync")]
    private static partial Regex AppendOutsideData();
}
