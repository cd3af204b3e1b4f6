using Datakamp.Data;
using System.Text.Json;
using Datakamp.Data.Audit;
using Datakamp.Data.Repositories;
using Datakamp.Domain;
using Datakamp.Domain.Audit;
using Datakamp.Host.Accounts;
using Datakamp.Host.Cli;
using Datakamp.Host.Startup;
using Npgsql;

namespace Datakamp.Host.Admin;

/// <summary>
/// <c>datakamp admin create-account --username U --name "Full Name" [--staff] [--checker] [--team EVENT/TEAM] [--Section:Key=value …]</c>:
/// creates an account and prints its one-time set-password link. Staff hand the link over; nobody
/// but the person learns the password.
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
        var actor = $"admin-cli:{Environment.UserName}";
        if (args.Length > 0 && args[0] is "register-dataset" or "grant" or "revoke-grant" or "set-checkers" or "set-declaration" or "show-declaration")
        {
            var (verbOptions, verbSettings) = DatasetCommands.Split(args[1..]);
            var verbConfiguration = CommandConfiguration.Build([.. verbSettings]);
            return args[0] switch
            {
                "grant" => await GrantCommands.GrantAsync(verbOptions, verbConfiguration, actor),
                "revoke-grant" => await GrantCommands.RevokeAsync(verbOptions, verbConfiguration, actor),
                "set-checkers" => await EventCommands.SetCheckersAsync(verbOptions, verbConfiguration, actor),
                "set-declaration" => await DeclarationCommands.SetAsync(verbOptions, verbConfiguration, actor),
                "show-declaration" => await DeclarationCommands.ShowAsync(verbOptions, verbConfiguration),
                _ => await DatasetCommands.RegisterAsync(verbOptions, verbConfiguration, actor),
            };
        }
        if (args.Length == 0 || args[0] != "create-account") throw new UsageException(Usage);
        string? username = null, name = null, team = null;
        bool staff = false, checker = false;
        var settings = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--username": username = Value(); break;
                case "--name": name = Value(); break;
                case "--team": team = Value(); break;
                case "--staff": staff = true; break;
                case "--checker": checker = true; break;
                default: settings.Add(args[i]); break;
            }
        }
        if (username is null || name is null) throw new UsageException(Usage);
        if (!staff && !checker && team is null) throw new UsageException("an account needs a role: --staff, --checker and/or --team EVENT/TEAM");

        var configuration = CommandConfiguration.Build([.. settings]);
        await using var database = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        long? teamId = null;
        if (team is not null) teamId = await FindTeamAsync(database.DataSource, team);

        var accounts = new AccountRepository(database.DataSource);
        Datakamp.Domain.Accounts.Account account;
        try
        {
            account = await accounts.CreateAsync(username, name, staff, checker, teamId, CancellationToken.None);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return DatakampCommandLine.Fail($"an account named '{username}' exists already", ExitCodes.DataError);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            return DatakampCommandLine.Fail($"'{username}' is not a valid username: use 2-40 lower-case letters, digits, dots, dashes or underscores", ExitCodes.DataError);
        }
        await new AuditLog(database.DataSource).AppendAsync(new AuditEntry(actor, AuditActions.AccountCreated, "account", account.Username,
            account.Team?.EventId, account.Team?.TeamId, DetailsJson: JsonSerializer.Serialize(new { staff, checker, team })), CancellationToken.None);

        var link = await new SetPasswordLinks(Database.OpenedOn(database.DataSource)).CreateAsync(account, actor, CancellationToken.None);
        Console.WriteLine($"created account {account.Username}; one-time set-password link (valid {SetPasswordLinks.ValidFor.TotalHours:0} h): {link}");
        return ExitCodes.Ok;
    }

    private static async Task<long> FindTeamAsync(NpgsqlDataSource dataSource, string team)
    {
        var parts = team.Split('/');
        if (parts.Length != 2 || !Slug.TryParse(parts[0], out var eventSlug) || !Slug.TryParse(parts[1], out var teamSlug))
            throw new UsageException($"--team must be EVENT/TEAM, e.g. demo/noord (got '{team}')");
        var events = new EventRepository(dataSource);
        var dk = await events.FindEventAsync(eventSlug, CancellationToken.None) ?? throw new UsageException($"there is no event '{eventSlug}'");
        var found = (await events.ListTeamsAsync(dk.Id, CancellationToken.None)).FirstOrDefault(t => t.Slug == teamSlug)
                    ?? throw new UsageException($"event '{eventSlug}' has no team '{teamSlug}'");
        return found.Id;
    }
}
