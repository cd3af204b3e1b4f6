using System.Text.Json.Serialization;

namespace Datakamp.Docker;

/// <summary>Which engine events to stream (<c>GET /events</c>); empty lists do not filter.</summary>
public sealed record EventFilter
{
    /// <summary><c>container</c>, <c>image</c>, <c>network</c>, <c>volume</c>, ...</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary>Actions such as <c>start</c>, <c>die</c>, <c>oom</c>, <c>destroy</c>.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Container ids or names.</summary>
    public IReadOnlyList<string> Containers { get; init; } = [];

    /// <summary><c>key</c> or <c>key=value</c>.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Replay events from this time on (the engine keeps a short history).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>End the stream at this time; null: stream until cancelled.</summary>
    public DateTimeOffset? Until { get; init; }
}

/// <summary>One engine event.</summary>
public sealed record EngineEvent
{
    /// <summary><c>container</c>, <c>image</c>, <c>network</c>, ...</summary>
    public required string Type { get; init; }

    /// <summary><c>create</c>, <c>start</c>, <c>die</c>, <c>oom</c>, <c>destroy</c>, <c>exec_start: ...</c>, ...</summary>
    public required string Action { get; init; }

    public required EventActor Actor { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("time")]
    public long Time { get; init; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }

    public DateTimeOffset At => DateTimeOffset.UnixEpoch.AddTicks(TimeNano / 100);
}

/// <summary>What an event is about: the id and attributes (for containers: name, image, labels, exitCode).</summary>
public sealed record EventActor(string ID, IReadOnlyDictionary<string, string>? Attributes);
