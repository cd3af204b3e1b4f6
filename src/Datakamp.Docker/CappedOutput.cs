namespace Datakamp.Docker;

/// <summary>
/// Stdout and stderr kept up to a cap on both together, the rest dropped and the result marked truncated. The library
/// decodes the frames of logs and attached exec; the cap is ours.
/// </summary>
internal sealed class CappedOutput(int maxBytes)
{
    private readonly MemoryStream _stdout = new();
    private readonly MemoryStream _stderr = new();
    private long _kept;
    private bool _truncated;

    /// <summary>Keeps what fits under the cap; false when some of <paramref name="bytes"/> was dropped.</summary>
    public bool Add(bool stderr, ReadOnlySpan<byte> bytes)
    {
        var keep = (int)Math.Min(bytes.Length, maxBytes - _kept);
        if (keep > 0)
        {
            (stderr ? _stderr : _stdout).Write(bytes[..keep]);
            _kept += keep;
        }
        if (keep == bytes.Length) return true;
        _truncated = true;
        return false;
    }

    public ContainerOutput ToOutput() => new(_stdout.ToArray(), _stderr.ToArray(), _truncated);
}
