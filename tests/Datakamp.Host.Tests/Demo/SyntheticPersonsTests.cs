using Datakamp.Host.Cli;
using Datakamp.Host.Demo;

namespace Datakamp.Host.Tests.Demo;

public sealed class SyntheticPersonsTests
{
    private static string Generate(int rows, int seed)
    {
        using var writer = new StringWriter();
        SyntheticPersons.Write(writer, rows, seed);
        return writer.ToString();
    }

    [Fact]
    public void The_same_seed_gives_the_same_file()
    {
        Assert.Equal(Generate(500, 7), Generate(500, 7));
        Assert.NotEqual(Generate(500, 7), Generate(500, 8));
    }

    [Fact]
    public void The_file_has_the_documented_header_and_one_line_per_person()
    {
        var lines = Generate(1000, 1).TrimEnd('\n').Split('\n');

        Assert.Equal(string.Join(',', SyntheticPersons.Columns), lines[0]);
        Assert.Equal(1001, lines.Length);
        Assert.Equal("P00000001", lines[1].Split(',')[0]);
    }

    [Fact]
    public void The_three_way_demo_table_has_1800_inner_cells()
    {
        Assert.Equal(1800, SyntheticPersons.Districts.Length * SyntheticPersons.AgeBands.Length * SyntheticPersons.HouseholdTypes.Length);
    }

    [Fact]
    public void Children_under_15_have_a_missing_income()
    {
        var children = Generate(2000, 3).Split('\n').Skip(1).Where(line => line.Contains(",0-14,"));

        Assert.All(children, line => Assert.Contains(",,", line));
    }

    [Fact]
    public async Task The_demo_data_verb_writes_the_file_and_refuses_a_bad_row_count()
    {
        var file = Path.Combine(Path.GetTempPath(), $"persons-{Guid.NewGuid():N}.csv");
        try
        {
            Assert.Equal(ExitCodes.Ok, await DatakampCommandLine.RunAsync(["demo-data", "--out", file, "--rows", "300", "--seed", "5"]));
            Assert.Equal(Generate(300, 5), await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
            Assert.Equal(ExitCodes.Usage, await DatakampCommandLine.RunAsync(["demo-data", "--out", file, "--rows", "many"]));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
