using System.Globalization;
using System.Reflection;
using Datakamp.Data.Audit;
using Datakamp.Domain.Audit;

namespace Datakamp.Host.Audit;

/// <summary>
/// The staff audit page's filters as typed into its GET form: kept as text, so that whatever arrives in the address
/// is checked here and answered with a message for the person, never with a model-binding error or an exception.
/// Empty means any. Times are UTC; "to" is exclusive, as in <see cref="AuditQuery"/>.
/// </summary>
public sealed class AuditFilter
{
    /// <summary>The forms a time may take: the browser's date-time field sends the first, people type the others.</summary>
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ];

    /// <summary>
    /// Every audited action, read from the constants of <see cref="AuditActions"/>: an action added there is offered
    /// here without a second list to keep in step.
    /// </summary>
    public static readonly IReadOnlyList<string> KnownActions = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>The names of the form's fields, as they appear in the address.</summary>
    public static readonly IReadOnlyList<string> FieldNames = ["person", "team", "dataset", "action", "from", "to"];

    public string? Person { get; init; }
    public string? Team { get; init; }
    public string? Dataset { get; init; }
    public string? Action { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }

    public static AuditFilter FromQuery(IQueryCollection query) => new()
    {
        Person = query["person"], Team = query["team"], Dataset = query["dataset"],
        Action = query["action"], From = query["from"], To = query["to"],
    };

    /// <summary>The filters that are set, by field name: for an address with the same filters.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsQuery() =>
        FieldNames.Zip([Person, Team, Dataset, Action, From, To], KeyValuePair.Create).Where(field => !Blank(field.Value));

    /// <summary>The query for these filters, or the reason there is none (a message for the person).</summary>
    public sealed record Outcome(AuditQuery? Query, string? Error);

    public Outcome ToQuery(AuditNames names, int limit)
    {
        long? team = null, dataset = null;
        if (!Blank(Team))
        {
            if (!long.TryParse(Team, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !names.Teams.ContainsKey(id))
                return new Outcome(null, "There is no such team: choose one from the list.");
            team = id;
        }
        if (!Blank(Dataset))
        {
            if (!long.TryParse(Dataset, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !names.Datasets.ContainsKey(id))
                return new Outcome(null, "There is no such dataset: choose one from the list.");
            dataset = id;
        }
        if (!Blank(Action) && !KnownActions.Contains(Action!.Trim()))
            return new Outcome(null, "There is no such action: choose one from the list.");
        if (!TryParseTime(From, out var from))
            return new Outcome(null, "The start time is not a date and time: write it as 2026-05-14 09:30 (UTC).");
        if (!TryParseTime(To, out var to))
            return new Outcome(null, "The end time is not a date and time: write it as 2026-05-14 17:00 (UTC).");
        if (from is not null && to is not null && from >= to)
            return new Outcome(null, "The start time must be before the end time.");
        var person = Blank(Person) ? null : Person!.Trim();
        var action = Blank(Action) ? null : Action!.Trim();
        return new Outcome(new AuditQuery(person, team, dataset, action, from, to, limit), null);
    }

    /// <summary>Whether any filter is set (for the page's heading of what it shows).</summary>
    public bool IsEmpty => Blank(Person) && Blank(Team) && Blank(Dataset) && Blank(Action) && Blank(From) && Blank(To);

    private static bool TryParseTime(string? text, out DateTimeOffset? at)
    {
        at = null;
        if (Blank(text)) return true;
        if (!DateTimeOffset.TryParseExact(text!.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return false;
        at = parsed;
        return true;
    }

    private static bool Blank(string? text) => string.IsNullOrWhiteSpace(text);
}
