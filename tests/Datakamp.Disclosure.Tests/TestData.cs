using System.Text;
using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Specs;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Tests;

/// <summary>Small builders shared by the tests: policies from the repository, specs and tables from text.</summary>
internal static class TestData
{
    public static string PoliciesDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "policies"))) dir = dir.Parent;
            return dir is null ? throw new InvalidOperationException("policies/ not found above the test binaries")
                : Path.Combine(dir.FullName, "policies");
        }
    }

    public static Policy Policy(string name = "cbs-persons") => PolicyLoader.LoadFile(Path.Combine(PoliciesDirectory, name + ".yaml"));

    public static TableSpec Spec(string yaml) => TableSpecLoader.Parse(yaml, "t.spec.yaml");

    public static string SpecYaml(string statistic = "sum", string rows = "[region]", string? cols = null, string? value = "income",
        bool margins = false, string? filter = null, string? weight = null) =>
        $"""
        version: 1
        kind: table
        dataset: persons
        unit: id
        rows: {rows}
        statistic: {statistic}
        margins: {(margins ? "true" : "false")}
        file: out.csv
        """ + "\n"
        + (cols is null ? "" : $"cols: {cols}\n")
        + (value is null ? "" : $"value: {value}\n")
        + (filter is null ? "" : $"filter: '{filter}'\n")
        + (weight is null ? "" : $"weight: {weight}\n");

    public static Stream Utf8(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    public static RecomputedTable Table(string csv, string specYaml, Policy? policy = null) =>
        TableRecomputer.Recompute(Utf8(csv), "data.csv", Spec(specYaml), policy ?? Policy());

    /// <summary>A one-dimensional microdata CSV: one row per (id, region, income) triple.</summary>
    public static string Csv(params (string Id, string Region, string Income)[] rows) =>
        "id,region,income\n" + string.Concat(rows.Select(r => $"{r.Id},{r.Region},{r.Income}\n"));

    /// <summary>n rows of distinct units in one region with the given incomes.</summary>
    public static string OneRegion(params double[] incomes) =>
        Csv(incomes.Select((v, i) => ((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "A",
            v.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());

    public static TableCell Cell(RecomputedTable t, params string[] labels) =>
        t[labels.Select((l, d) => l == "Total" ? TableCell.Total : t.Dimensions[d].Categories.ToList().IndexOf(l)).ToArray()];
}
