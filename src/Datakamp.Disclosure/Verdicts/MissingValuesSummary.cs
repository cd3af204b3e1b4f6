using System.Globalization;
using Datakamp.Disclosure.Rules;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Verdicts;

/// <summary>
/// Units without a value, once per magnitude table, so that a few empty fields are one line for the checker
/// instead of a finding in every cell (cells are flagged by the <c>missing_values</c> rule only above the
/// policy's share). With margins the grand total counts every unit of the table once; without margins the
/// inner cells are added up, which is the same unless a unit falls in several cells (then it counts in each).
/// </summary>
public static class MissingValuesSummary
{
    /// <summary>The table's count and share of units without a value; null for a frequency (count) table, which has no value column.</summary>
    public static MissingValuesVerdict? Of(RecomputedTable table)
    {
        if (!table.Statistic.IsMagnitude) return null;
        long units = 0, withValue = 0, missingRows = 0;
        foreach (var cell in table.Cells)
        {
            if (cell.IsMargin) continue;
            missingRows += cell.Evidence.MissingValueRows;   // a row is in exactly one inner cell
            if (table.HasMargins) continue;
            units += cell.Evidence.Units;
            withValue += cell.Evidence.UnitsWithValue;
        }
        if (table.HasMargins)
        {
            var grandTotal = table[Enumerable.Repeat(TableCell.Total, table.Dimensions.Count).ToArray()].Evidence;
            units = grandTotal.Units;
            withValue = grandTotal.UnitsWithValue;
        }
        var without = units - withValue;
        var share = units == 0 ? 0 : 100.0 * without / units;
        return new MissingValuesVerdict(without, units, share, missingRows, Message(without, units, share, table.Spec.Value));
    }

    private static string Message(long without, long units, double share, string? column)
    {
        var text = $"{without.ToString("N0", CultureInfo.InvariantCulture)} of {Plural.Count(units, "unit", "units")} ({RuleText.Percent(share)}%) without a value{(column is null ? "" : $" in {column}")}";
        return without == 0 ? text + "." : text + $"; {Plural.Word(without, "it is", "they are")} left out of the statistic.";
    }
}
