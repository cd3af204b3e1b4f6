namespace Datakamp.Disclosure.Filters;

/// <summary>Kinds of filter tokens.</summary>
internal enum FilterTokenKind
{
    Identifier, String, Number,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    And, Or, Not, In,
    LeftParen, RightParen, LeftBracket, RightBracket, Comma,
    End,
}

/// <summary>One token with its 0-based position in the filter text, so errors can point at it.</summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position, double Number = 0);
