namespace Datakamp.Docker;

/// <summary>One entry of <c>GET /containers/json</c>.</summary>
public sealed record ContainerSummary
{
    public required string Id { get; init; }

    /// <summary>Names with the engine's leading slash.</summary>
    public IReadOnlyList<string>? Names { get; init; }

    public string? Image { get; init; }

    public string? ImageID { get; init; }

    /// <summary>Creation time in Unix seconds.</summary>
    public long Created { get; init; }

    /// <summary><c>created</c>, <c>running</c>, <c>exited</c>, ...</summary>
    public string? State { get; init; }

    /// <summary>Human-readable, e.g. <c>Up 3 minutes</c>.</summary>
    public string? Status { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
