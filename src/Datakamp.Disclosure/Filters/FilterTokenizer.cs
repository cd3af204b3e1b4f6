using System.Globalization;
using System.Text;

namespace Datakamp.Disclosure.Filters;

/// <summary>
/// Hand-written tokenizer for the filter language: identifiers (letters, digits, '_' and '.'),
/// double-quoted strings with <c>\"</c> and <c>\\</c> escapes, numbers, comparison operators,
/// the keywords <c>and or not in</c>, parentheses, brackets and commas.
/// </summary>
internal static class FilterTokenizer
{
    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            switch (c)
            {
                case '(': tokens.Add(new(FilterTokenKind.LeftParen, "(", i++)); continue;
                case ')': tokens.Add(new(FilterTokenKind.RightParen, ")", i++)); continue;
                case '[': tokens.Add(new(FilterTokenKind.LeftBracket, "[", i++)); continue;
                case ']': tokens.Add(new(FilterTokenKind.RightBracket, "]", i++)); continue;
                case ',': tokens.Add(new(FilterTokenKind.Comma, ",", i++)); continue;
                case '=':
                    if (Peek(text, i + 1) != '=') throw new FilterSyntaxException("use '==' to compare, not '='", i);
                    tokens.Add(new(FilterTokenKind.Equal, "==", i)); i += 2; continue;
                case '!':
                    if (Peek(text, i + 1) != '=') throw new FilterSyntaxException("unexpected '!' (use '!=' or 'not')", i);
                    tokens.Add(new(FilterTokenKind.NotEqual, "!=", i)); i += 2; continue;
                case '<':
                    if (Peek(text, i + 1) == '=') { tokens.Add(new(FilterTokenKind.LessOrEqual, "<=", i)); i += 2; }
                    else tokens.Add(new(FilterTokenKind.Less, "<", i++));
                    continue;
                case '>':
                    if (Peek(text, i + 1) == '=') { tokens.Add(new(FilterTokenKind.GreaterOrEqual, ">=", i)); i += 2; }
                    else tokens.Add(new(FilterTokenKind.Greater, ">", i++));
                    continue;
                case '"':
                    tokens.Add(ReadString(text, ref i));
                    continue;
            }
            if (char.IsAsciiDigit(c) || (c is '-' or '+' or '.' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '.')))
            {
                i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '.' or 'e' or 'E'
                       || (text[i] is '-' or '+' && text[i - 1] is 'e' or 'E'))) i++;
                var s = text[start..i];
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                    throw new FilterSyntaxException($"'{s}' is not a number", start);
                tokens.Add(new(FilterTokenKind.Number, s, start, d));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.')) i++;
                var word = text[start..i];
                tokens.Add(word switch
                {
                    "and" => new(FilterTokenKind.And, word, start),
                    "or" => new(FilterTokenKind.Or, word, start),
                    "not" => new(FilterTokenKind.Not, word, start),
                    "in" => new(FilterTokenKind.In, word, start),
                    _ => new(FilterTokenKind.Identifier, word, start),
                });
                continue;
            }
            throw new FilterSyntaxException($"unexpected character '{c}'", i);
        }
        tokens.Add(new(FilterTokenKind.End, "end of filter", text.Length));
        return tokens;
    }

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static FilterToken ReadString(string text, ref int i)
    {
        var start = i++;
        var sb = new StringBuilder();
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"') return new(FilterTokenKind.String, sb.ToString(), start);
            if (c == '\\')
            {
                if (i >= text.Length) break;
                var e = text[i++];
                if (e is not ('"' or '\\')) throw new FilterSyntaxException($"unknown escape '\\{e}' in string", i - 2);
                sb.Append(e);
                continue;
            }
            sb.Append(c);
        }
        throw new FilterSyntaxException("string is not closed with '\"'", start);
    }
}
