using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// One disclosure rule, evaluated per cell (inner cells and margins alike). Returns null when the rule
/// does not fire for the cell. Rules read the table only to look at neighbouring cells (group disclosure).
/// </summary>
public interface IDisclosureRule
{
    /// <summary>Stable id used in verdicts, e.g. <c>threshold</c>.</summary>
    string Id { get; }

    /// <summary>The finding for <paramref name="cell"/>, or null when the rule does not fire.</summary>
    RuleFinding? Evaluate(RecomputedTable table, TableCell cell);
}
