using System.Globalization;
using System.Text;
using Datakamp.Disclosure.Microdata;

namespace Datakamp.Disclosure.Filters;

/// <summary>
/// Compiles a parsed filter once into a predicate over the current CSV record. Columns are resolved
/// here, before any data row is read, so an unknown column is rejected up front.
/// Semantics: an empty field is missing, and every comparison with a missing value is false (so
/// <c>x != "a"</c> does not match rows where x is missing, but <c>not x == "a"</c> does). A string literal
/// compares text (ordinal, by code point); a number literal parses the field as a number, and a field
/// that is not a number is an input error naming line, column and text.
/// </summary>
public static class FilterCompiler
{
    /// <summary>Compiles <paramref name="filter"/>; <paramref name="columnIndex"/> maps a column name to its field index.</summary>
    public static Func<CsvReader, bool> Compile(FilterExpression filter, Func<string, int?> columnIndex) => filter switch
    {
        AndFilter a => And(Compile(a.Left, columnIndex), Compile(a.Right, columnIndex)),
        OrFilter o => Or(Compile(o.Left, columnIndex), Compile(o.Right, columnIndex)),
        NotFilter n => Not(Compile(n.Inner, columnIndex)),
        CompareFilter c => Compare(Resolve(c.Column, c.Position, columnIndex), c.Column, c.Operator, c.Literal),
        InFilter i => In(Resolve(i.Column, i.Position, columnIndex), i.Column, i.Items),
        _ => throw new InvalidOperationException("unknown filter node"),
    };

    private static Func<CsvReader, bool> And(Func<CsvReader, bool> l, Func<CsvReader, bool> r) => row => l(row) && r(row);
    private static Func<CsvReader, bool> Or(Func<CsvReader, bool> l, Func<CsvReader, bool> r) => row => l(row) || r(row);
    private static Func<CsvReader, bool> Not(Func<CsvReader, bool> inner) => row => !inner(row);

    private static int Resolve(string column, int position, Func<string, int?> columnIndex) =>
        columnIndex(column) ?? throw new FilterSyntaxException($"unknown column '{column}'", position);

    private static Func<CsvReader, bool> In(int field, string column, IReadOnlyList<FilterLiteral> items)
    {
        var tests = items.Select(item => Compare(field, column, FilterOperator.Equal, item)).ToArray();
        return row =>
        {
            foreach (var t in tests) if (t(row)) return true;
            return false;
        };
    }

    private static Func<CsvReader, bool> Compare(int field, string column, FilterOperator op, FilterLiteral literal)
    {
        if (!literal.IsNumber)
        {
            var bytes = Encoding.UTF8.GetBytes(literal.Text!);
            return row =>
            {
                var f = row.Field(field);
                if (f.IsEmpty) return false;
                var cmp = f.SequenceCompareTo(bytes);
                return Holds(op, cmp);
            };
        }
        var number = literal.Number;
        var shown = number.ToString("R", CultureInfo.InvariantCulture);
        return row =>
        {
            var f = row.Field(field);
            if (f.IsEmpty) return false;
            if (!double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || double.IsNaN(v))
                throw row.Error(row.Line,
                    $"column '{column}' has '{CsvReader.Cut(row.Decode(f, field))}', which is not a number, but the filter compares it with {shown}");
            return Holds(op, v.CompareTo(number));
        };
    }

    private static bool Holds(FilterOperator op, int cmp) => op switch
    {
        FilterOperator.Equal => cmp == 0,
        FilterOperator.NotEqual => cmp != 0,
        FilterOperator.Less => cmp < 0,
        FilterOperator.LessOrEqual => cmp <= 0,
        FilterOperator.Greater => cmp > 0,
        _ => cmp >= 0,
    };
}
