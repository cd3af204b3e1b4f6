using System.Diagnostics;
using System.Globalization;

namespace Datakamp.Disclosure.Tests.SecondarySuppression;

/// <summary>
/// Runs GLPK's <c>glpsol</c> on a CPLEX-LP text and parses the basic solution it writes with <c>-w</c>.
/// Missing glpsol: the test fails when the CI environment variable is set, and is skipped otherwise.
/// </summary>
internal static class Glpsol
{
    private static readonly Lazy<string?> Executable = new(Find);

    /// <summary>Path of glpsol, or skips/fails the current test.</summary>
    public static string Require()
    {
        var path = Executable.Value;
        if (path is not null)
        {
            return path;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail("glpsol (Debian package glpk-utils) is required on CI for the independent suppression audit, but it is not installed.");
        }

        Assert.Skip("glpsol (Debian package glpk-utils) is not installed; the independent GLPK audit cannot run. Install with: apt-get install -y glpk-utils");
        return string.Empty;
    }

    /// <summary>Solves the LP; returns column values in order of first appearance, or throws when not optimal.</summary>
    public static double[] Solve(string lpText, TimeSpan timeout)
    {
        var exe = Require();
        var dir = Directory.CreateTempSubdirectory("dk-glpk-");
        try
        {
            var lpFile = Path.Combine(dir.FullName, "audit.lp");
            var solFile = Path.Combine(dir.FullName, "audit.sol");
            File.WriteAllText(lpFile, lpText);
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add("--lp");
            psi.ArgumentList.Add(lpFile);
            psi.ArgumentList.Add("-w");
            psi.ArgumentList.Add(solFile);
            psi.ArgumentList.Add("--tmlim");
            psi.ArgumentList.Add(((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start glpsol.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout + TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("glpsol timed out.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"glpsol failed ({process.ExitCode}): {stdout.Result}{stderr.Result}");
            }

            return Parse(File.ReadAllLines(solFile), stdout.Result);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "glpsol");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static double[] Parse(string[] lines, string log)
    {
        double[]? values = null;
        foreach (var line in lines)
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 0)
            {
                continue;
            }

            if (f[0] == "s")
            {
                // s bas <rows> <cols> <primal status> <dual status> <objective>
                if (f[1] != "bas" || f[4] != "f" || f[5] != "f")
                {
                    throw new InvalidOperationException($"glpsol did not find an optimum (status '{line}'): {log}");
                }

                values = new double[int.Parse(f[3], CultureInfo.InvariantCulture)];
            }
            else if (f[0] == "j")
            {
                // j <col> <status> <primal> <dual>
                values![int.Parse(f[1], CultureInfo.InvariantCulture) - 1] = double.Parse(f[3], CultureInfo.InvariantCulture);
            }
        }

        return values ?? throw new InvalidOperationException("No solution line in glpsol output.");
    }
}
