using System.Text;

namespace Datakamp.Docker;

/// <summary>What to fetch from <c>GET /containers/{id}/logs</c> (never followed: the call returns what is there).</summary>
public sealed record LogsOptions
{
    public bool Stdout { get; init; } = true;

    public bool Stderr { get; init; } = true;

    /// <summary>Only the last N lines; null: all.</summary>
    public int? Tail { get; init; }

    /// <summary>Only lines written at or after this time; null: from the start.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Prefix every line with its RFC 3339 timestamp.</summary>
    public bool Timestamps { get; init; }

    /// <summary>Stop reading after this many bytes (stdout and stderr together) and mark the result truncated.</summary>
    public int MaxBytes { get; init; } = 1024 * 1024;

    /// <summary>For the whole call including the body (not the client's short request timeout).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// A decoded multiplexed stdout/stderr stream (logs or exec output of a container without TTY).
/// Bytes as written; the text properties decode them as UTF-8 (invalid sequences become U+FFFD).
/// </summary>
public sealed record ContainerOutput(byte[] Stdout, byte[] Stderr, bool Truncated)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string StderrText => Encoding.UTF8.GetString(Stderr);
}

/// <summary>A command to run in a running container with <c>POST /containers/{id}/exec</c>, attached.</summary>
public sealed record ExecSpec
{
    public required IReadOnlyList<string> Cmd { get; init; }

    /// <summary><c>KEY=value</c> entries added to the container's environment.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>Null: the container's user.</summary>
    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    /// <summary>
    /// For create, run and exit code together. When it passes, <see cref="DockerTimeoutException"/> is thrown;
    /// the process may still be running in the container (the engine has no exec kill).
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Keep at most this many bytes of stdout and stderr together; the rest is read and dropped.</summary>
    public int MaxOutputBytes { get; init; } = 1024 * 1024;
}

/// <summary>The exit code and output of an exec.</summary>
public sealed record ExecResult(long ExitCode, ContainerOutput Output);
