using System.Text;
using Datakamp.Disclosure;
using Datakamp.Disclosure.Verdicts;

namespace Datakamp.Releases.Tests;

/// <summary>The host's own table for "approve with suppression": what it holds, and when the host refuses to make one.</summary>
public sealed class SuppressedTableTests
{
    [Fact]
    public void A_protected_table_is_the_recomputation_with_primary_and_secondary_cells_blank_and_marked_alike()
    {
        var csv = Encoding.UTF8.GetString(SuppressedTable.ToCsv(HandBuiltVerdicts.DistrictCounts()));

        // noord (3, primary) and zuid (12, secondary) look the same: nothing points at the sensitive cell.
        Assert.Equal("district,count,suppressed\nnoord,,x\nzuid,,x\noost,25,\nTotal,40,\n", csv);
    }

    [Fact]
    public void Categories_with_commas_and_quotes_are_quoted()
    {
        var table = HandBuiltVerdicts.DistrictCounts();
        var oost = table.Cells[2] with { Coordinates = new Dictionary<string, string> { ["district"] = "oost, \"nieuw\"" } };
        var csv = Encoding.UTF8.GetString(SuppressedTable.ToCsv(table with { Cells = [table.Cells[0], table.Cells[1], oost, table.Cells[3]] }));

        Assert.Contains("\n\"oost, \"\"nieuw\"\"\",25,\n", csv);
    }

    [Fact]
    public void A_table_whose_suppression_was_not_verified_is_refused()
    {
        var table = HandBuiltVerdicts.DistrictCounts(SuppressionOutcome.VerificationFailed);

        Assert.Equal("secondary suppression did not protect it (verification found an under-protected cell)", SuppressedTable.RefusalFor(table));
        Assert.Throws<InvalidOperationException>(() => SuppressedTable.ToCsv(table));
    }

    [Fact]
    public void A_failing_cell_that_is_not_suppressed_is_refused()
    {
        var table = HandBuiltVerdicts.DistrictCounts();
        var unsuppressed = table with { Cells = [table.Cells[0] with { PrimarySuppressed = false }, .. table.Cells.Skip(1)] };

        Assert.Equal("a failing cell is not suppressed", SuppressedTable.RefusalFor(unsuppressed));
    }

    [Fact]
    public void A_table_without_suppressed_cells_or_without_a_recomputation_is_refused()
    {
        var table = HandBuiltVerdicts.DistrictCounts();
        var clean = table with { Cells = table.Cells.Select(c => c with { Status = CheckStatus.Pass, PrimarySuppressed = false, SecondarySuppressed = false }).ToList() };

        Assert.Equal("no cell is suppressed: approve it as it is, or return it", SuppressedTable.RefusalFor(clean));
        Assert.Equal("it is not a table the host recomputed", SuppressedTable.RefusalFor(null));
        Assert.Equal("the automated check produced no cells for it", SuppressedTable.RefusalFor(table with { Cells = [] }));
    }

    [Fact]
    public void A_suppressed_cell_whose_protection_could_not_be_verified_is_refused()
    {
        var table = HandBuiltVerdicts.DistrictCounts();
        var unreliable = table with { Cells = [table.Cells[0] with { FeasibleInterval = new FeasibleIntervalVerdict(0, 15, Reliable: false) }, .. table.Cells.Skip(1)] };

        Assert.Equal("the protection of a suppressed cell could not be verified", SuppressedTable.RefusalFor(unreliable));
    }
}
