namespace Datakamp.Disclosure.Filters;

/// <summary>
/// Recursive-descent parser. Precedence, loosest first: <c>or</c>, <c>and</c>, <c>not</c>, then a
/// comparison <c>column OP literal</c>, <c>column in [literal, ...]</c> or a parenthesised filter.
/// So <c>a == 1 or b == 2 and not c == 3</c> means <c>a == 1 or (b == 2 and (not c == 3))</c>.
/// </summary>
public static class FilterParser
{
    /// <summary>Parses filter text or throws <see cref="FilterSyntaxException"/> naming the position.</summary>
    public static FilterExpression Parse(string text)
    {
        var p = new Cursor(FilterTokenizer.Tokenize(text));
        var e = ParseOr(p);
        if (p.Current.Kind != FilterTokenKind.End)
            throw new FilterSyntaxException($"unexpected '{p.Current.Text}'", p.Current.Position);
        return e;
    }

    private static FilterExpression ParseOr(Cursor p)
    {
        var left = ParseAnd(p);
        while (p.Accept(FilterTokenKind.Or)) left = new OrFilter(left, ParseAnd(p));
        return left;
    }

    private static FilterExpression ParseAnd(Cursor p)
    {
        var left = ParseUnary(p);
        while (p.Accept(FilterTokenKind.And)) left = new AndFilter(left, ParseUnary(p));
        return left;
    }

    private static FilterExpression ParseUnary(Cursor p) =>
        p.Accept(FilterTokenKind.Not) ? new NotFilter(ParseUnary(p)) : ParsePrimary(p);

    private static FilterExpression ParsePrimary(Cursor p)
    {
        if (p.Accept(FilterTokenKind.LeftParen))
        {
            var inner = ParseOr(p);
            p.Expect(FilterTokenKind.RightParen, "')'");
            return inner;
        }
        var column = p.Current;
        if (column.Kind != FilterTokenKind.Identifier)
            throw new FilterSyntaxException(column.Kind == FilterTokenKind.End
                ? "filter ends where a column name was expected"
                : $"expected a column name, found '{column.Text}'", column.Position);
        p.Next();
        if (p.Accept(FilterTokenKind.In))
        {
            p.Expect(FilterTokenKind.LeftBracket, "'[' after 'in'");
            var items = new List<FilterLiteral> { ParseLiteral(p) };
            while (p.Accept(FilterTokenKind.Comma)) items.Add(ParseLiteral(p));
            p.Expect(FilterTokenKind.RightBracket, "']' or ','");
            return new InFilter(column.Text, column.Position, items);
        }
        var op = p.Current.Kind switch
        {
            FilterTokenKind.Equal => FilterOperator.Equal,
            FilterTokenKind.NotEqual => FilterOperator.NotEqual,
            FilterTokenKind.Less => FilterOperator.Less,
            FilterTokenKind.LessOrEqual => FilterOperator.LessOrEqual,
            FilterTokenKind.Greater => FilterOperator.Greater,
            FilterTokenKind.GreaterOrEqual => FilterOperator.GreaterOrEqual,
            _ => throw new FilterSyntaxException($"expected a comparison (==, !=, <, <=, >, >=, in) after '{column.Text}', found '{p.Current.Text}'", p.Current.Position),
        };
        p.Next();
        return new CompareFilter(column.Text, column.Position, op, ParseLiteral(p));
    }

    private static FilterLiteral ParseLiteral(Cursor p)
    {
        var t = p.Current;
        switch (t.Kind)
        {
            case FilterTokenKind.String: p.Next(); return new FilterLiteral(t.Text, 0);
            case FilterTokenKind.Number: p.Next(); return new FilterLiteral(null, t.Number);
            case FilterTokenKind.Identifier:
                throw new FilterSyntaxException($"expected a \"string\" or a number, found '{t.Text}' (put text in double quotes)", t.Position);
            default:
                throw new FilterSyntaxException($"expected a \"string\" or a number, found '{t.Text}'", t.Position);
        }
    }

    private sealed class Cursor(List<FilterToken> tokens)
    {
        private int _i;
        public FilterToken Current => tokens[_i];
        public void Next() { if (_i < tokens.Count - 1) _i++; }
        public bool Accept(FilterTokenKind k) { if (Current.Kind != k) return false; Next(); return true; }
        public void Expect(FilterTokenKind k, string what)
        {
            if (!Accept(k)) throw new FilterSyntaxException($"expected {what}, found '{Current.Text}'", Current.Position);
        }
    }
}
