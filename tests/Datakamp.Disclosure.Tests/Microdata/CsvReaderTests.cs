using System.Text;
using Datakamp.Disclosure.Microdata;

namespace Datakamp.Disclosure.Tests.Microdata;

public class CsvReaderTests
{
    private static List<string[]> ReadAll(byte[] bytes, char delimiter = ',', int buffer = 1024)
    {
        using var r = new CsvReader(new MemoryStream(bytes), "f.csv", delimiter, buffer);
        var rows = new List<string[]>();
        while (r.ReadRecord()) rows.Add(Enumerable.Range(0, r.FieldCount).Select(r.FieldString).ToArray());
        return rows;
    }

    private static List<string[]> ReadAll(string text, char delimiter = ',', int buffer = 1024) => ReadAll(Encoding.UTF8.GetBytes(text), delimiter, buffer);

    [Fact]
    public void Reads_header_and_rows_with_lf()
    {
        var rows = ReadAll("a,b\n1,2\n3,4\n");
        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"]], rows);
    }

    [Fact]
    public void Reads_crlf_and_last_line_without_newline()
    {
        Assert.Equal([["a", "b"], ["1", "2"], ["3", "4"]], ReadAll("a,b\r\n1,2\r\n3,4"));
    }

    [Fact]
    public void Skips_utf8_bom()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("naam,x\nÅsa,1\n")).ToArray();
        Assert.Equal([["naam", "x"], ["Åsa", "1"]], ReadAll(bytes));
    }

    [Fact]
    public void Quoted_fields_keep_delimiters_newlines_and_doubled_quotes()
    {
        var rows = ReadAll("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\r\nline\",z\n");
        Assert.Equal(["x, y", "say \"hi\""], rows[1]);
        Assert.Equal(["multi\r\nline", "z"], rows[2]);
    }

    [Fact]
    public void Line_numbers_count_physical_lines_including_embedded_newlines()
    {
        using var r = new CsvReader(new MemoryStream(Encoding.UTF8.GetBytes("a,b\n\"1\n2\",3\n4,5\n")), "f.csv");
        r.ReadHeader();
        r.ReadRecord();
        Assert.Equal(2, r.Line);
        r.ReadRecord();
        Assert.Equal(4, r.Line);
    }

    [Fact]
    public void Semicolon_and_tab_delimiters()
    {
        Assert.Equal([["a", "b,c"], ["1", "2"]], ReadAll("a;b,c\n1;2\n", ';'));
        Assert.Equal([["a", "b"], ["1", ""]], ReadAll("a\tb\n1\t\n", '\t'));
    }

    [Fact]
    public void Empty_field_is_empty_and_blank_lines_are_skipped()
    {
        Assert.Equal([["a", "b"], ["", "2"], ["3", ""]], ReadAll("a,b\n,2\n\n3,\n\r\n"));
    }

    [Fact]
    public void Records_spanning_buffer_refills_are_read_whole()
    {
        var big = new string('x', 5000);
        var rows = ReadAll($"a,b\n\"{big}\",1\n{big},2\n", buffer: 1024);
        Assert.Equal(big, rows[1][0]);
        Assert.Equal(big, rows[2][0]);
        Assert.Equal("2", rows[2][1]);
    }

    [Fact]
    public void Unterminated_quote_names_file_line_and_field()
    {
        var e = Assert.Throws<DisclosureInputException>(() => ReadAll("a,b\n1,2\n3,\"open\n4,5\n"));
        Assert.Equal("f.csv:3: field 2 has an opening quote that is never closed", e.Message);
    }

    [Fact]
    public void Quote_inside_unquoted_field_is_an_error()
    {
        var e = Assert.Throws<DisclosureInputException>(() => ReadAll("a,b\n1,x\"y\n"));
        Assert.StartsWith("f.csv:2: field 2 contains a quote", e.Message);
    }

    [Fact]
    public void Text_after_closing_quote_is_an_error()
    {
        var e = Assert.Throws<DisclosureInputException>(() => ReadAll("a,b\n\"1\"x,2\n"));
        Assert.StartsWith("f.csv:2: field 1 has text after its closing quote", e.Message);
    }

    [Fact]
    public void Duplicate_header_name_is_an_error()
    {
        using var r = new CsvReader(new MemoryStream("a,a\n"u8.ToArray()), "f.csv");
        var e = Assert.Throws<DisclosureInputException>(() => r.ReadHeader());
        Assert.Equal("f.csv:1: column name 'a' appears twice in the header", e.Message);
    }

    [Fact]
    public void Invalid_utf8_is_an_error()
    {
        using var r = new CsvReader(new MemoryStream([(byte)'a', (byte)'\n', 0xFF, (byte)'\n']), "f.csv");
        r.ReadHeader();
        r.ReadRecord();
        var e = Assert.Throws<DisclosureInputException>(() => r.FieldString(0));
        Assert.Equal("f.csv:2: field 1 is not valid UTF-8 text", e.Message);
    }
}
