namespace Datakamp.Disclosure.Filters;

/// <summary>Comparison operators of the filter language.</summary>
public enum FilterOperator { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

/// <summary>A literal: either a string (compared as text) or a number (compared numerically).</summary>
public sealed record FilterLiteral(string? Text, double Number)
{
    public bool IsNumber => Text is null;
}

/// <summary>Parsed filter, a small tree. <see cref="Columns"/> lists every column it reads, with position.</summary>
public abstract record FilterExpression
{
    /// <summary>Every column reference with its 0-based position in the filter text.</summary>
    public abstract IEnumerable<(string Column, int Position)> Columns();
}

public sealed record AndFilter(FilterExpression Left, FilterExpression Right) : FilterExpression
{
    public override IEnumerable<(string Column, int Position)> Columns() => Left.Columns().Concat(Right.Columns());
}

public sealed record OrFilter(FilterExpression Left, FilterExpression Right) : FilterExpression
{
    public override IEnumerable<(string Column, int Position)> Columns() => Left.Columns().Concat(Right.Columns());
}

public sealed record NotFilter(FilterExpression Inner) : FilterExpression
{
    public override IEnumerable<(string Column, int Position)> Columns() => Inner.Columns();
}

public sealed record CompareFilter(string Column, int Position, FilterOperator Operator, FilterLiteral Literal) : FilterExpression
{
    public override IEnumerable<(string Column, int Position)> Columns() => [(Column, Position)];
}

public sealed record InFilter(string Column, int Position, IReadOnlyList<FilterLiteral> Items) : FilterExpression
{
    public override IEnumerable<(string Column, int Position)> Columns() => [(Column, Position)];
}
