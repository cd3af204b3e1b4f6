using System.Text.Json.Serialization;

namespace Datakamp.Disclosure;

/// <summary>
/// Outcome of a check, ordered so that the worst outcome wins when outcomes are combined:
/// <c>Pass &lt; Review &lt; Fail</c>. An enum rather than strings so that no spelling can ever
/// downgrade a result.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus
{
    /// <summary>No rule found a disclosure risk.</summary>
    [JsonStringEnumMemberName("pass")] Pass = 0,

    /// <summary>A person must look at it before release.</summary>
    [JsonStringEnumMemberName("review")] Review = 1,

    /// <summary>Unsafe, or could not be evaluated (fail closed).</summary>
    [JsonStringEnumMemberName("fail")] Fail = 2,
}

/// <summary>Combining statuses.</summary>
public static class CheckStatusExtensions
{
    /// <summary>The worse of two statuses.</summary>
    public static CheckStatus Worst(this CheckStatus a, CheckStatus b) => a >= b ? a : b;

    /// <summary>The lower-case name used in policies and verdicts.</summary>
    public static string ToWord(this CheckStatus s) => s switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Review => "review",
        _ => "fail",
    };
}
