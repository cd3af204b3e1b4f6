using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Datakamp.Data;

/// <summary>One versioned schema change: a plain .sql file named <c>NNNN_description.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script: an applied migration whose file was edited afterwards is refused.</summary>
    public string Checksum { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql))).ToLowerInvariant();

    private static readonly Regex FileName = new(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$", RegexOptions.CultureInvariant);

    /// <summary>The migrations compiled into Datakamp.Data (folder Migrations/), in version order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = LoadEmbedded();

    private static List<Migration> LoadEmbedded()
    {
        const string prefix = "Datakamp.Data.Migrations.";
        var assembly = typeof(Migration).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var match = FileName.Match(fileName);
            if (!match.Success) throw new InvalidOperationException($"Migration file '{fileName}' must be named NNNN_lower_case_name.sql");
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        return Ordered(migrations);
    }

    /// <summary>Sorts by version and rejects duplicates or gaps (a gap is almost always a lost file).</summary>
    public static List<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Version != i + 1)
                throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3 … without gaps or duplicates; found {ordered[i].Version} at position {i + 1}");
        }
        return ordered;
    }
}
