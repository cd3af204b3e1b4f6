using Datakamp.Data;
using Datakamp.Data.Audit;
using Datakamp.Host.Cli;
using Npgsql;

namespace Datakamp.Host.Audit;

/// <summary>
/// <c>datakamp audit verify [--Section:Key=value …]</c>: recomputes the audit trail's hash chain and
/// reports every changed or missing event. Exit 0 when intact, 1 when broken.
/// </summary>
internal static class AuditCommand
{
    public const int Broken = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] != "verify")
            throw new UsageException("usage: datakamp audit verify [--Database:ConnectionString=... | --Storage:StateDirectory=...]");

        var configuration = CommandConfiguration.Build(args[1..]);
        await using var database = await DatabaseForCommand.OpenAsync(configuration, CancellationToken.None);
        AuditVerification verification;
        try
        {
            verification = await new AuditLog(database.DataSource).VerifyAsync(CancellationToken.None);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return DatakampCommandLine.Fail("this database has no audit trail yet (start the host once to migrate it)", ExitCodes.Unavailable);
        }

        if (verification.IsIntact)
        {
            Console.WriteLine($"audit trail intact: {verification.EventsChecked} events; head {verification.HeadSeq} {verification.HeadHash}");
            return ExitCodes.Ok;
        }
        Console.WriteLine($"audit trail BROKEN: {verification.Problems.Count} problems in {verification.EventsChecked} events");
        foreach (var problem in verification.Problems) Console.WriteLine($"  {problem}");
        return Broken;
    }
}
