using Datakamp.TestSupport;

namespace Datakamp.Releases.Tests;

/// <summary>A folder of one test (a content store, registered microdata, the checker's scratch copies); removed afterwards.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public string Path { get; } = TestEnvironment.CreateScratchDirectory("releases");

    public void Dispose()
    {
        // The store makes its files and folders read-only; make them writable again so they can be removed.
        foreach (var entry in new DirectoryInfo(Path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            entry.UnixFileMode |= UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead;
        Directory.Delete(Path, recursive: true);
    }
}
