namespace Datakamp.Check;

/// <summary>The text of <c>datakamp check --help</c>: every option, and the exit codes a script branches on.</summary>
internal static class CheckHelp
{
    public const string Text = $"""
        usage: datakamp {CheckOptions.Usage}

        Recomputes each table a spec describes from the microdata, checks every cell against a disclosure
        policy, and compares it with the submitted table when one is given.

          --data FILE         the microdata (CSV with a header row)
          --spec SPEC         a table spec (YAML); several specs are linked tables, checked in one pass
          --policy POLICY     a policy name from the policies folder (e.g. cbs-persons) or a policy file
          --submitted TABLE   a submitted table to compare; it pairs with the spec whose 'file:' names it
          --out VERDICT.json  write the full verdict; its folder must exist
          --details           print every table as a grid and list every flagged cell (default: a summary)
          --delimiter ,       the microdata's delimiter: , ; | or tab
          --cache             read the microdata from its columnar cache FILE.dkcache next to it, building
                              it first when it is missing or was built from other bytes; the CSV is still
                              hashed on every check and the cache used only when its SHA-256 matches (else,
                              or when the folder is not writable, the CSV is read as without --cache)
          -h, --help          print this text

        exit codes: 0 pass, 1 fail, 2 review, 64 wrong command line (also an --out that cannot be written),
                    65 a data, spec or policy file is wrong, 66 an input file or policy name does not exist
        """;
}
