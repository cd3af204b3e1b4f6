namespace Datakamp.TestSupport;

/// <summary>Facts about the machine the tests run on.</summary>
public static class TestEnvironment
{
    /// <summary>On CI a missing engine or database is a failure, never a skip (a misconfigured CI must not go quietly green).</summary>
    public static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>Skips the test locally with the reason; fails it on CI.</summary>
    public static void RequireOrSkip(string? unavailableReason)
    {
        if (unavailableReason is null) return;
        if (IsCi) Assert.Fail($"{unavailableReason} (CI=true: tests that need real parts never skip; run 'bash scripts/setup')");
        Assert.Skip(unavailableReason);
    }

    /// <summary>A fresh folder that an unprivileged server user can enter (mkdtemp's 0700 would lock postgres out).</summary>
    public static string CreateScratchDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), $"datakamp-{purpose}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>The repository root (the folder with Datakamp.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Datakamp.sln"))) return dir.FullName;
            throw new InvalidOperationException("Datakamp.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Debug or Release: the configuration these tests were built in.</summary>
    public static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
}
