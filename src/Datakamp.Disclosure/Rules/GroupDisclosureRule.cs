using Datakamp.Disclosure.Policies;
using Datakamp.Disclosure.Tables;

namespace Datakamp.Disclosure.Rules;

/// <summary>
/// Group (attribute) disclosure: along a dimension with at least two categories, if one cell of a
/// row/column holds units and every other category cell of that same row/column is zero, then everyone
/// in that group is known to have that category. Formally, for cell c with category i in dimension d:
/// <c>n(c) &gt; 0</c> and <c>n(c with category j) = 0</c> for all j ≠ i (other coordinates fixed, Total allowed).
/// The cell that holds the group is flagged; the zeros themselves are left to the zero-cell rule.
/// </summary>
public sealed class GroupDisclosureRule(StatusSettings settings) : IDisclosureRule
{
    public string Id => "group_disclosure";

    public RuleFinding? Evaluate(RecomputedTable table, TableCell cell)
    {
        if (cell.Evidence.Units == 0) return null;
        var coords = cell.Coordinates.ToArray();
        for (var d = 0; d < coords.Length; d++)
        {
            var own = cell.Coordinates[d];
            var categories = table.Dimensions[d].Categories.Count;
            if (own == TableCell.Total || categories < 2) continue;
            var othersEmpty = true;
            for (var j = 0; j < categories && othersEmpty; j++)
            {
                if (j == own) continue;
                coords[d] = j;
                othersEmpty = table.Cells[table.IndexOf(coords)].Evidence.Units == 0;
            }
            coords[d] = own;
            if (!othersEmpty) continue;
            var dim = table.Dimensions[d];
            return new RuleFinding(Id, settings.Status,
                $"{(cell.Evidence.Units == 1 ? "The only unit" : $"All {cell.Evidence.Units} units")} of this group {Plural.Word(cell.Evidence.Units, "has", "have")} {dim.Column} = '{dim.Categories[own]}'; "
                + $"the other {Plural.Count(categories - 1, "category is", "categories are")} empty, so the group's {dim.Column} is disclosed.",
                new Dictionary<string, double> { ["units"] = cell.Evidence.Units, ["empty_categories"] = categories - 1 });
        }
        return null;
    }
}
