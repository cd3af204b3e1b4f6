using System.Globalization;
using System.Text;

namespace Datakamp.Domain;

/// <summary>
/// Untrusted text (a user name, a path, a header, an error that quotes one) made safe to write to a log: at most
/// <see cref="MaxChars"/> characters, control and non-ASCII characters escaped (<c>\n</c>, <c>\u00E9</c>), and when cut,
/// the original length said. One sign-in with a 1 MB user name is then one short log line, not two megabytes.
/// </summary>
public static class LogText
{
    public const int MaxChars = 120;

    public static string Excerpt(string? value, int maxChars = MaxChars)
    {
        if (value is null) return "(none)";
        var text = new StringBuilder(Math.Min(value.Length, maxChars) + 24);
        foreach (var c in value)
        {
            if (text.Length >= maxChars)
            {
                text.Append(CultureInfo.InvariantCulture, $"... ({value.Length:N0} characters in all)");
                break;
            }
            text.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\\' => "\\\\",
                >= ' ' and <= '~' => c.ToString(),
                _ => $"\\u{(int)c:X4}",
            });
        }
        return text.ToString();
    }
}
