using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Host.Accounts;
using Datakamp.Host.Cli;
using Datakamp.Host.Staff;

namespace Datakamp.Host.Admin;

/// <summary>
/// The staff verbs, <c>datakamp admin VERB [options] [--Section:Key=value …]</c>: each calls the same staff-console service
/// as the staff pages, so a value refused on the web is refused here in the same words (exit 65, naming the option).
/// <c>create-account</c> prints the account's one-time set-password link: staff hand it over; nobody but the person
/// learns the password.
/// </summary>
internal static class AdminCommand
{
    private const string Usage = """
        usage: datakamp admin create-account --username U --name "Full Name" [--staff] [--checker] [--team EVENT/TEAM]
               datakamp admin register-dataset --event E --name N --file PATH --unit COLUMN --policy NAME [--description TEXT]
               datakamp admin grant --event E --dataset N --team T --purpose TEXT [--until YYYY-MM-DD]
               datakamp admin revoke-grant --event E --dataset N --team T --reason TEXT
               datakamp admin set-checkers --event E --count 1|2
               datakamp admin set-declaration --event E --file PATH
               datakamp admin show-declaration --event E
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0) throw new UsageException(Usage);
        if (args[0] is "--help" or "-h" or "help" || args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            Console.WriteLine(Usage);
            return ExitCodes.Ok;
        }
        var actor = $"admin-cli:{Environment.UserName}";
        var (options, settings) = DatasetCommands.Split(args[1..], "staff", "checker");
        var configuration = CommandConfiguration.Build([.. settings]);
        try
        {
            return args[0] switch
            {
                "create-account" => await CreateAccountAsync(options, configuration, actor),
                "register-dataset" => await DatasetCommands.RegisterAsync(options, configuration, actor),
                "grant" => await GrantCommands.GrantAsync(options, configuration, actor),
                "revoke-grant" => await GrantCommands.RevokeAsync(options, configuration, actor),
                "set-checkers" => await EventCommands.SetCheckersAsync(options, configuration, actor),
                "set-declaration" => await DeclarationCommands.SetAsync(options, configuration, actor),
                "show-declaration" => await DeclarationCommands.ShowAsync(options, configuration),
                _ => throw new UsageException($"unknown admin verb '{args[0]}'\n{Usage}"),
            };
        }
        catch (StaffInputException refused)
        {
            // The staff console refused a value (nothing was written): the same words as on the web, with the option's name.
            return DatakampCommandLine.Fail(StaffServicesForCommand.Describe(refused), ExitCodes.DataError);
        }
    }

    private static async Task<int> CreateAccountAsync(IReadOnlyDictionary<string, string> options, CommandConfiguration configuration, string actor)
    {
        var username = DatasetCommands.Required(options, "username");
        var name = DatasetCommands.Required(options, "name");
        await using var services = await StaffServicesForCommand.OpenAsync(configuration);
        long? teamId = options.TryGetValue("team", out var team) ? await FindTeamAsync(services.Events, team) : null;
        var (account, link) = await services.Staff.CreateAccountAsync(username, name, options.ContainsKey("staff"), options.ContainsKey("checker"), teamId, actor,
            CancellationToken.None);
        Console.WriteLine($"created account {account.Username}; one-time set-password link (valid {SetPasswordLinks.ValidFor.TotalHours:0} h): {link}");
        return ExitCodes.Ok;
    }

    private static async Task<long> FindTeamAsync(EventRepository events, string team)
    {
        var parts = team.Split('/');
        if (parts.Length != 2 || !Slug.TryParse(parts[0], out var eventSlug) || !Slug.TryParse(parts[1], out var teamSlug))
            throw new UsageException($"--team must be EVENT/TEAM, e.g. demo/noord (got '{team}')");
        var dk = await events.FindEventAsync(eventSlug, CancellationToken.None) ?? throw new UsageException($"there is no event '{eventSlug}'");
        var found = (await events.ListTeamsAsync(dk.Id, CancellationToken.None)).FirstOrDefault(t => t.Slug == teamSlug)
                    ?? throw new UsageException($"event '{eventSlug}' has no team '{teamSlug}'");
        return found.Id;
    }
}
