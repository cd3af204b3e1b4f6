namespace Datakamp.Releases;

/// <summary>
/// Content read and hashed into the store's private temp folder but not stored (see <see cref="ContentStore.StageAsync"/>).
/// Disposing it removes the temp file, so what is not committed leaves nothing behind.
/// </summary>
public sealed class StagedContent : IDisposable
{
    internal StagedContent(string tempPath, string sha256, long size)
    {
        TempPath = tempPath;
        Sha256 = sha256;
        Size = size;
    }

    public string Sha256 { get; }
    public long Size { get; }
    internal string TempPath { get; }

    public void Dispose() => File.Delete(TempPath);   // no error when it was moved into the store already
}
