using Datakamp.Disclosure;
using Datakamp.Disclosure.Microdata;

namespace Datakamp.Host.Releases;

/// <summary>
/// A released CSV read for drawing as an HTML table: the header and the first <see cref="MaxRows"/> rows (the page says
/// when there are more; the file itself is in the download). Parsed by the same strict reader as the checks, so a file
/// that does not parse is shown as "cannot be drawn", with the reason, never half-drawn.
/// </summary>
public sealed record CsvPreview(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, bool Truncated)
{
    public const int MaxRows = 500;

    /// <summary>The preview, or the reason it cannot be drawn.</summary>
    public static (CsvPreview? Preview, string? Problem) Read(byte[] bytes, string name)
    {
        try
        {
            using var csv = new CsvReader(new MemoryStream(bytes, writable: false), name);
            var header = csv.ReadHeader();
            var rows = new List<IReadOnlyList<string>>();
            while (csv.ReadRecord())
            {
                if (rows.Count == MaxRows) return (new CsvPreview(header, rows, Truncated: true), null);
                rows.Add(Enumerable.Range(0, csv.FieldCount).Select(csv.FieldString).ToList());
            }
            return (new CsvPreview(header, rows, Truncated: false), null);
        }
        catch (DisclosureInputException e)
        {
            return (null, $"This table cannot be drawn: {e.Message}");
        }
    }
}
