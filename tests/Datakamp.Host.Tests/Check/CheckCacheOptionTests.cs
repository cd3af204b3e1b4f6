using System.Text;
using Datakamp.Check;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Check;

/// <summary><c>datakamp check --cache</c>: builds FILE.dkcache next to the data, and a check with it prints what one without it prints.</summary>
[Collection(nameof(ConsoleCapture))]
public sealed class CheckCacheOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dk-check-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Out)> Check(params string[] args)
    {
        var (exit, output, _) = await ConsoleCapture.RunAsync(["check", .. args]);
        return (exit, output);
    }

    [Fact]
    public async Task The_cache_is_built_next_to_the_data_and_the_check_prints_the_same()
    {
        var data = Path.Combine(_dir, "people.csv");
        File.WriteAllText(data, "id,town,pay\n" + string.Concat(Enumerable.Range(1, 30).Select(i => $"{i},{(i < 27 ? "Oost" : "West")},{i * 10}\n")),
            new UTF8Encoding(false));
        var spec = Path.Combine(_dir, "pay.yaml");
        File.WriteAllText(spec, "version: 1\nkind: table\ndataset: people\nunit: id\nrows: [town]\nstatistic: sum\nvalue: pay\nmargins: true\n");
        var policy = Path.Combine(TestEnvironment.RepositoryRoot, "policies", "cbs-persons.yaml");

        var without = await Check("--data", data, "--spec", spec, "--policy", policy, "--details");
        Assert.False(File.Exists(data + ".dkcache"));
        var built = await Check("--data", data, "--spec", spec, "--policy", policy, "--details", "--cache");
        Assert.True(File.Exists(data + ".dkcache"));
        var warm = await Check("--data", data, "--spec", spec, "--policy", policy, "--details", "--cache");
        Assert.Equal(1, without.Exit);
        Assert.Equal(without, built);
        Assert.Equal(without, warm);
    }

    [Fact]
    public void The_help_and_the_usage_name_the_cache() =>
        Assert.Contains("--cache", CheckHelp.Text + CheckOptions.Usage);
}
