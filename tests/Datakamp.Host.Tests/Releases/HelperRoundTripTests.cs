using System.Globalization;
using System.Text;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Verdicts;
using Datakamp.Releases;
using Datakamp.Host.Tests.Sandboxes;
using Datakamp.TestSupport;

namespace Datakamp.Host.Tests.Releases;

/// <summary>
/// Issue #11 item 5: the helper -> checker round trip with real parts. In a started sandbox (real engine, real analysis
/// image, migrated database) the team's helper writes three tables into /outbox: a count with a filter, a sum with
/// margins and a 3-way mean. The host takes them with <see cref="OutboxIntake"/>, the disclosure engine recomputes each
/// from the host's copy of the dataset, and every submitted value equals the recomputation.
/// </summary>
[Trait("Category", "Docker")]
[Trait("Category", "Postgres")]
public sealed class HelperRoundTripTests(PostgresFixture postgres, DockerFixture docker)
{
    private const string PythonImage = "datakamp/python:bookworm";
    private const string RImage = "datakamp/r:bookworm";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly string[] Tables = ["count_filtered", "income_margins", "mean_three_way"];

    private const string PythonScript = """
        import pandas as pd, datakamp
        persons = pd.read_csv("/data/persons.csv")
        datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", cols="age_band",
            aggfunc="count", filter='benefit == "yes" and age_band >= 30', name="count_filtered",
            description="Persons on benefit aged 30 and over, by district and age band.")
        datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="district", cols="sex",
            values="income", aggfunc="sum", margins=True, name="income_margins",
            description="Total income by district and sex, with totals.")
        datakamp.crosstab(persons, dataset="persons", unit="person_id", rows="age_band", cols="sex", layers="district",
            values="income", aggfunc="mean", name="mean_three_way",
            description="Mean income by age band, sex and district.")
        """;

    private const string RScript = """
        persons <- read.csv("/data/persons.csv")
        datakamp_crosstab(persons, dataset = "persons", unit = "person_id", rows = "district", cols = "age_band",
          aggfunc = "count", filter = 'benefit == "yes" and age_band >= 30', name = "count_filtered",
          description = "Persons on benefit aged 30 and over, by district and age band.")
        datakamp_crosstab(persons, dataset = "persons", unit = "person_id", rows = "district", cols = "sex",
          values = "income", aggfunc = "sum", margins = TRUE, name = "income_margins",
          description = "Total income by district and sex, with totals.")
        datakamp_crosstab(persons, dataset = "persons", unit = "person_id", rows = "age_band", cols = "sex", layers = "district",
          values = "income", aggfunc = "mean", name = "mean_three_way",
          description = "Mean income by age band, sex and district.")
        """;

    [Fact]
    public async Task Python_helper_tables_equal_the_hosts_recomputation()
    {
        await using var run = await RunHelperAsync(PythonImage, ["python3", "-c", PythonScript]);

        AssertEqualToRecomputation(await run.CheckAsync());
    }

    [Fact]
    public async Task R_helper_tables_equal_the_hosts_recomputation()
    {
        await using var run = await RunHelperAsync(RImage, ["Rscript", "-e", RScript]);

        AssertEqualToRecomputation(await run.CheckAsync());
    }

    [Fact]
    public async Task A_helper_value_altered_after_the_intake_is_reported_as_differing_from_the_recomputation()
    {
        await using var run = await RunHelperAsync(PythonImage, ["python3", "-c", PythonScript]);
        var path = run.SubmittedPath("income_margins.csv");
        var lines = File.ReadAllLines(path);
        // The first cell of the long-form CSV (its value is the last column): add 1 to it.
        var cells = lines[1].Split(',');
        cells[^1] = (double.Parse(cells[^1], CultureInfo.InvariantCulture) + 1).ToString("R", CultureInfo.InvariantCulture);
        lines[1] = string.Join(',', cells);
        File.WriteAllLines(path, lines);

        var verdict = await run.CheckAsync();

        var altered = Assert.Single(verdict.Files, f => f.File == "income_margins.csv");
        var differing = Assert.Single(altered.Cells, c => c.Rules.Any(r => r.Id == "submitted_differs"));
        Assert.Equal(1, differing.Difference!.Value, 6);
        Assert.Contains("1 submitted value differs from the recomputation.", altered.Reasons);
        Assert.All(verdict.Files.Where(f => f != altered), f => Assert.DoesNotContain(f.Cells, c => c.Rules.Any(IsMismatch)));
    }

    private static void AssertEqualToRecomputation(VerdictDocument verdict)
    {
        Assert.Equal(Tables.Select(t => $"{t}.csv").Order(), verdict.Files.Select(f => f.File).Order());
        foreach (var file in verdict.Files)
        {
            // A table the engine could not read or recompute has no cells; that must not pass as "no mismatch".
            Assert.True(file.Cells.Count > 0, $"{file.File}: no cells: {string.Join(" ", file.Reasons)}");
            Assert.All(file.Cells, c => Assert.True(c.SubmittedPresent, $"{file.File} {c.Id}: not in the submitted file"));
            var mismatches = file.Cells.SelectMany(c => c.Rules.Where(IsMismatch).Select(r => $"{c.Id}: {r.Message}")).ToList();
            Assert.True(mismatches.Count == 0, $"{file.File}: {string.Join("; ", mismatches)}");
            TestContext.Current.TestOutputHelper?.WriteLine($"{file.File}: {file.Cells.Count} cells compared, "
                + $"{file.Cells.Count(c => c.Coordinates.Values.Contains("Total"))} with Total, {file.RowsUsed} of {file.RowsRead} rows used");
        }

        var byFile = verdict.Files.ToDictionary(f => f.File);
        Assert.Equal(["district", "age_band"], byFile["count_filtered.csv"].Dimensions.Select(d => d.Column));
        Assert.True(byFile["count_filtered.csv"].RowsUsed < byFile["count_filtered.csv"].RowsRead, "the filter left every row in");
        var margins = byFile["income_margins.csv"];
        Assert.True(margins.Margins);
        Assert.Contains(margins.Cells, c => c.Coordinates.Values.All(v => v == "Total") && c.Value > 0);
        Assert.Equal(["age_band", "sex", "district"], byFile["mean_three_way.csv"].Dimensions.Select(d => d.Column));
        Assert.Contains(byFile["mean_three_way.csv"].Cells, c => c.Value is not null);
    }

    private static bool IsMismatch(RuleVerdict rule) => rule.Id is "submitted_differs" or "submitted_missing";

    /// <summary>Starts team A's sandbox on <paramref name="image"/>, runs the helper script there as the sandbox user and takes its outbox files.</summary>
    private async Task<HelperRun> RunHelperAsync(string image, string[] command)
    {
        var harness = await SandboxHarness.StartAsync(postgres, docker, image, PersonsCsv());
        try
        {
            await harness.Manager.StartAsync(harness.TeamA.Id, "staff:test", Ct);
            var (exitCode, output) = await harness.ExecAsync(harness.TeamA, command);
            Assert.True(exitCode == 0, $"the helper script failed ({exitCode}): {output}");

            var store = new ContentStore(Path.Combine(harness.State.Path, "store"));
            var names = Tables.SelectMany(t => new[] { $"{t}.csv", $"{t}.spec.yaml", $"{t}.description.txt" }).ToArray();
            var intake = await new OutboxIntake(harness.Runtime, store)
                .TakeSnapshotAsync(await harness.ContainerNameAsync(harness.TeamA), names, IntakeLimits.Default, Ct);
            Assert.Empty(intake.Refused);
            Assert.Equal(names, intake.Accepted.Select(a => a.Name));

            // The host's copies, read back from the store (and so verified) into a folder of its own.
            var folder = Directory.CreateDirectory(Path.Combine(harness.State.Path, "check")).FullName;
            foreach (var taken in intake.Accepted)
                await File.WriteAllBytesAsync(Path.Combine(folder, taken.Name), await store.ReadAllBytesAsync(taken.Sha256, Ct), Ct);
            return new HelperRun(harness, folder);
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Synthetic persons, several rows each (a unit's rows in one cell are added up), a few rows without income,
    /// deterministic.
    /// </summary>
    private static string PersonsCsv()
    {
        var random = new Random(11);
        var text = new StringBuilder("person_id,district,age_band,sex,income,benefit\n");
        for (var person = 1; person <= 150; person++)
        {
            var district = "ABCDE"[random.Next(5)];
            var ageBand = new[] { 20, 30, 40, 65 }[random.Next(4)];
            var sex = random.Next(2) == 0 ? "female" : "male";
            for (var row = random.Next(1, 4); row > 0; row--)
            {
                var income = random.NextDouble() < 0.05 ? "" : Math.Round(random.NextDouble() * 4000 - 100, 2).ToString(CultureInfo.InvariantCulture);
                var benefit = random.Next(3) == 0 ? "yes" : "no";
                text.Append(CultureInfo.InvariantCulture, $"P{person:D3},{district},{ageBand},{sex},{income},{benefit}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>What the host holds after the intake: its copy of the dataset and of each taken file.</summary>
    private sealed class HelperRun(SandboxHarness harness, string folder) : IAsyncDisposable
    {
        public string SubmittedPath(string name) => Path.Combine(folder, name);

        /// <summary>The engine on the host's dataset copy, with every spec taken and the table each spec names.</summary>
        public Task<VerdictDocument> CheckAsync()
        {
            var policy = PolicyLoader.LoadFile(Path.Combine(TestEnvironment.RepositoryRoot, "policies", "cbs-persons.yaml"));
            var specs = Tables.Select(t => TableSpecLoader.Parse(File.ReadAllText(SubmittedPath($"{t}.spec.yaml")), $"{t}.spec.yaml")).ToList();
            // What the host requires of a spec before it runs the engine: the granted dataset, its unit, a file of the request.
            Assert.All(specs, s => Assert.Equal(("persons", "person_id"), (s.Dataset, s.Unit)));
            Assert.Equal(Tables.Select(t => $"{t}.csv"), specs.Select(s => s.File));
            var submitted = specs.ToDictionary(s => s.File, s => SubmittedPath(s.File));
            return DisclosureChecker.CheckAsync(new CheckRequest(harness.DataFile, specs, policy, submitted), cancellationToken: Ct);
        }

        public ValueTask DisposeAsync() => harness.DisposeAsync();
    }
}
