using System.Globalization;
using System.Text;

namespace Datakamp.Host.Audit;

/// <summary>
/// Audit lines as CSV: a header row, then one row per line, every field quoted (a double quote inside doubled), rows
/// ended by CRLF, as RFC 4180 has it.
/// </summary>
public static class AuditCsv
{
    public static readonly string[] Header = ["seq", "time_utc", "actor", "action", "subject_type", "subject_id", "team", "dataset", "details"];

    public static string Write(IEnumerable<AuditLine> lines)
    {
        var csv = new StringBuilder();
        Row(csv, Header);
        foreach (var line in lines)
            Row(csv, [line.Seq.ToString(CultureInfo.InvariantCulture), line.Time, line.Actor, line.Action, line.SubjectType, line.SubjectId, line.Team, line.Dataset, line.Details]);
        return csv.ToString();
    }

    /// <summary>
    /// One field, quoted. Actors, subjects and details can carry text that people typed (a username tried at sign-in,
    /// a reason): a spreadsheet would run a field that starts with = + - or @ as a formula, so such a field gets a
    /// single quote in front, which makes the spreadsheet show it as text. Tab and carriage return too: some
    /// spreadsheets skip them before looking for a formula.
    /// </summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void Row(StringBuilder csv, IEnumerable<string> fields) => csv.Append(string.Join(',', fields.Select(Field))).Append("\r\n");
}
