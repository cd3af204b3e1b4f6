using System.Text.RegularExpressions;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests;

/// <summary>
/// The fast run (<c>--filter "Category!=Docker&amp;Category!=Postgres&amp;Category!=Browser"</c>) must run only tests that
/// pass without the Docker engine, PostgreSQL and Chromium. So every test class in tests/ that uses one of them carries the
/// matching class-level <c>[Trait("Category", …)]</c>, and this scan of the test sources fails when one does not, so a new
/// test cannot land in the fast run by mistake. A test class gets a fixture only through its constructor (xunit injects
/// it), so naming the fixture type in the class is what using it looks like.
/// </summary>
public sealed partial class TestCategoryTests
{
    /// <summary>What in a test class's source means it needs a category, and why.</summary>
    private static readonly (string Category, Regex Use, string Why)[] Needs =
    [
        ("Postgres", Fixture("Postgres"), "takes the PostgreSQL fixture"),
        ("Docker", Fixture("Docker"), "takes the Docker engine fixture"),
        ("Browser", Fixture("Browser"), "takes the Chromium fixture"),
        ("Docker", new(@"HostProcess\.StartServe\("), "starts 'datakamp serve', which refuses to start without the engine"),
        ("Docker", new(@"ProcessStartInfo\(\s*""docker"""), "runs the docker command"),
        ("Docker", new(@"new\s+DockerDotNetEngine\(\s*new\s+DockerEngineOptions\(\s*\)\s*\)"), "talks to the engine on its default socket"),
    ];

    /// <summary>Built from parts, so that this class's own source does not name the fixtures it looks for.</summary>
    private static Regex Fixture(string what) => new($@"\b{what}Fixture\b");

    [Fact]
    public void Every_test_class_that_needs_the_engine_the_database_or_the_browser_carries_its_category()
    {
        var missing = TestClasses()
            .SelectMany(c => Needs
                .Where(need => need.Use.IsMatch(c.Body) && !c.Categories.Contains(need.Category))
                .Select(need => $"{c.File}: {c.Name} {need.Why}: add [Trait(\"Category\", \"{need.Category}\")] to the class"))
            .Distinct()
            .ToList();

        Assert.True(missing.Count == 0, "Test classes outside their category (the fast run would run them):\n" + string.Join("\n", missing));
    }

    /// <summary>The scan finds the test classes of every test project and reads their traits, so it cannot pass by seeing nothing.</summary>
    [Fact]
    public void The_scan_sees_every_test_project_and_reads_class_traits()
    {
        var classes = TestClasses().ToList();

        foreach (var project in new[] { "Data", "Disclosure", "Docker", "Domain", "Host", "Releases" })
            Assert.Contains(classes, c => c.File.StartsWith($"Datakamp.{project}.Tests{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var sandboxes = Assert.Single(classes, c => c.Name == "SandboxLifecycleTests");
        Assert.Equal(["Docker", "Postgres"], sandboxes.Categories.Order());
        Assert.Contains(classes, c => c.Name == "ThresholdRuleTests" && c.Categories.Count == 0);
        Assert.Contains(classes, c => c.Name == nameof(TestCategoryTests) && c.Categories.Count == 0);
        Assert.True(classes.Count(c => c.Categories.Count == 0) > 40, "fewer pure test classes than expected");
    }

    private sealed record TestClass(string File, string Name, IReadOnlySet<string> Categories, string Body);

    /// <summary>
    /// Top-level classes (declared at the start of a line, as file-scoped namespaces leave them) with at least one
    /// [Fact] or [Theory], each with the class-level categories written just above it. A class's body runs to the next
    /// top-level declaration, so helpers nested in it count as part of it.
    /// </summary>
    private static IEnumerable<TestClass> TestClasses()
    {
        var tests = Path.Combine(TestEnvironment.RepositoryRoot, "tests");
        var separator = Path.DirectorySeparatorChar;
        foreach (var file in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(tests, file);
            if (relative.Contains($"{separator}obj{separator}", StringComparison.Ordinal) || relative.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
                continue;
            var text = File.ReadAllText(file);
            var declarations = TopLevelType().Matches(text);
            for (var i = 0; i < declarations.Count; i++)
            {
                var end = i + 1 < declarations.Count ? declarations[i + 1].Index : text.Length;
                var body = text[declarations[i].Index..end];
                if (!TestMethod().IsMatch(body)) continue;
                var categories = CategoryTrait().Matches(declarations[i].Groups["attributes"].Value).Select(m => m.Groups[1].Value).ToHashSet();
                yield return new TestClass(relative, declarations[i].Groups["name"].Value, categories, body);
            }
        }
    }

    [GeneratedRegex(@"^(?<attributes>(?:\[.*\]\s*\n)*)(?:(?:public|internal|file|sealed|static|abstract|partial)\s+)*(?:class|record|struct)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"\[(Fact|Theory)\b")]
    private static partial Regex TestMethod();

    [GeneratedRegex(@"\[Trait\(\s*""Category""\s*,\s*""(\w+)""\s*\)\]")]
    private static partial Regex CategoryTrait();
}
