namespace Datakamp.Disclosure.Tables;

/// <summary>One dimension of a table: its column and its categories in output order (numeric when all are numbers, else ordinal).</summary>
public sealed record TableDimension(string Column, IReadOnlyList<string> Categories)
{
    /// <summary>The label used for margins, in recomputed and submitted tables alike.</summary>
    public const string TotalLabel = "Total";
}
