using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Host.Accounts;
using Datakamp.Host.Cli;
using Datakamp.Host.Staff;

namespace Datakamp.Host.Admin;

/// <summary>
/// The staff console's services for a command-line verb, on the database the command opened: a verb checks, writes and
/// audits exactly as the staff pages do, so the two can never disagree on what is allowed. Disposing closes the
/// database (and stops an embedded cluster the command started).
/// </summary>
internal sealed class StaffServicesForCommand : IAsyncDisposable
{
    private readonly DatabaseForCommand _opened;

    private StaffServicesForCommand(DatabaseForCommand opened, CommandConfiguration configuration)
    {
        _opened = opened;
        Database = Database.OpenedOn(opened.DataSource);
        // Wired by hand as the host's container wires them: a verb starts no host.
        Events = new EventRepository(Database);
        Datasets = new DatasetRepository(Database);
        var accounts = new AccountRepository(Database);
        var audit = new AuditTrail(Database);
        Staff = new StaffConsole(Events, accounts, audit, new SetPasswordLinks(accounts, audit));
        DataAccess = new DataAccessConsole(Events, Datasets, audit, Microsoft.Extensions.Options.Options.Create(configuration.Storage),
            global::Datakamp.Releases.DatasetCaches.In(configuration.Storage.ResolvedStateDirectory), TimeProvider.System);
    }

    public Database Database { get; }

    public EventRepository Events { get; }

    public DatasetRepository Datasets { get; }

    public StaffConsole Staff { get; }

    public DataAccessConsole DataAccess { get; }

    public static async Task<StaffServicesForCommand> OpenAsync(CommandConfiguration configuration) =>
        new(await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None), configuration);

    public ValueTask DisposeAsync() => _opened.DisposeAsync();

    /// <summary>
    /// What the command prints when the console refused a value: the option it came from and why. The console's words
    /// are written for a form field; the option name tells staff at a terminal which value it was.
    /// </summary>
    public static string Describe(StaffInputException refusal) => $"{OptionFor(refusal.Field)}: {refusal.Message}";

    private static string OptionFor(string field) => field switch
    {
        "role" => "--staff, --checker or --team",
        "checkers" => "--count",
        _ => "--" + string.Concat(field.Select(c => char.IsUpper(c) ? $"-{char.ToLowerInvariant(c)}" : c.ToString())),
    };
}
