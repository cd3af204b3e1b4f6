using Datakamp.Host.Cli;
using Datakamp.Host.Demo;

namespace Datakamp.Host.Tests.Demo;

public sealed class SyntheticNeighbourhoodsTests
{
    private static string Generate(int rows, int seed)
    {
        using var writer = new StringWriter();
        SyntheticNeighbourhoods.Write(writer, rows, seed);
        return writer.ToString();
    }

    private static string[][] Persons(int rows, int seed) =>
        Generate(rows, seed).TrimEnd('\n').Split('\n').Skip(1).Select(line => line.Split(',')).ToArray();

    [Fact]
    public void The_same_seed_gives_the_same_file()
    {
        Assert.Equal(Generate(500, 7), Generate(500, 7));
        Assert.NotEqual(Generate(500, 7), Generate(500, 8));
    }

    [Fact]
    public void The_file_has_the_documented_header_and_one_line_of_five_fields_per_person()
    {
        var lines = Generate(1000, 1).TrimEnd('\n').Split('\n');

        Assert.Equal("person_id,neighbourhood,age_band,household_type,income", lines[0]);
        Assert.Equal(1001, lines.Length);
        Assert.Equal("P00000001", lines[1].Split(',')[0]);
        Assert.All(lines, line => Assert.Equal(5, line.Split(',').Length));
    }

    [Fact]
    public void The_benchmark_table_has_2160_inner_and_2989_cells_with_margins()
    {
        var (n, a, h) = (SyntheticNeighbourhoods.Neighbourhoods.Length, SyntheticNeighbourhoods.AgeBands.Length, SyntheticNeighbourhoods.HouseholdTypes.Length);

        Assert.Equal(2160, n * a * h);
        Assert.Equal(2989, (n + 1) * (a + 1) * (h + 1));
    }

    [Fact]
    public void Neighbourhoods_differ_in_size_and_some_fields_are_empty()
    {
        var persons = Persons(200_000, 3);
        var sizes = persons.GroupBy(p => p[1]).Select(g => g.Count()).ToList();

        Assert.Equal(60, sizes.Count);
        Assert.InRange(sizes.Max() / (double)sizes.Min(), 100, 400);
        Assert.InRange(persons.Count(p => p[3].Length == 0) / (double)persons.Length, 0.001, 0.003);
        Assert.InRange(persons.Count(p => p[4].Length == 0) / (double)persons.Length, 0.015, 0.025);
        Assert.Contains(persons, p => p[4].Length > 0 && long.Parse(p[4], System.Globalization.CultureInfo.InvariantCulture) > 5_000_000);
    }

    [Fact]
    public async Task The_demo_data_verb_writes_the_shape_and_refuses_an_unknown_one()
    {
        var file = Path.Combine(Path.GetTempPath(), $"neighbourhoods-{Guid.NewGuid():N}.csv");
        try
        {
            Assert.Equal(ExitCodes.Ok, await DatakampCommandLine.RunAsync(["demo-data", "--shape", "neighbourhoods", "--out", file, "--rows", "300", "--seed", "5"]));
            Assert.Equal(Generate(300, 5), await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
            Assert.Equal(ExitCodes.Usage, await DatakampCommandLine.RunAsync(["demo-data", "--shape", "towns", "--out", file]));
            Assert.Equal(ExitCodes.Ok, await DatakampCommandLine.RunAsync(["demo-data", "--help"]));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
