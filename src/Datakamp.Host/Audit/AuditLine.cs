using Datakamp.Data.Audit;

namespace Datakamp.Host.Audit;

/// <summary>One audit event as the audit pages and their CSV show it: ids of teams and datasets turned into names.</summary>
public sealed record AuditLine(long Seq, DateTimeOffset At, string Actor, string Action, string SubjectType, string SubjectId, string Team, string Dataset, string Details)
{
    public static AuditLine Of(AuditRecord record, AuditNames names) => new(
        record.Seq, record.At, record.Entry.Actor, record.Entry.Action, record.Entry.SubjectType, record.Entry.SubjectId,
        names.TeamOf(record.Entry.TeamId), names.DatasetOf(record.Entry.DatasetId), record.Entry.DetailsJson);

    /// <summary>The time as the pages and the CSV write it: UTC to the second.</summary>
    public string Time => At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
