namespace Datakamp.Docker;

/// <summary>The parts of <c>GET /images/{name}/json</c> we use.</summary>
public sealed record ImageInspect
{
    /// <summary>The image id (<c>sha256:...</c>).</summary>
    public required string Id { get; init; }

    public IReadOnlyList<string>? RepoTags { get; init; }

    public IReadOnlyList<string>? RepoDigests { get; init; }

    public DateTimeOffset Created { get; init; }

    public long Size { get; init; }

    public string? Architecture { get; init; }

    public string? Os { get; init; }

    public ImageConfig? Config { get; init; }
}

/// <summary>The defaults an image gives its containers.</summary>
public sealed record ImageConfig
{
    public string? User { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
