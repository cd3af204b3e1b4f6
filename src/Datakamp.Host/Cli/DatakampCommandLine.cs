using Datakamp.Check;
using Datakamp.Data;
using Datakamp.Data.Embedded;
using Datakamp.Docker;
using Datakamp.Host.Demo;
using Datakamp.Host.Startup;
using Microsoft.Extensions.Options;

namespace Datakamp.Host.Cli;

/// <summary>
/// Dispatches the verbs of the <c>datakamp</c> command. Every failure a person can cause ends as one
/// line on stderr and a non-zero exit code, never a stack trace.
/// </summary>
public static class DatakampCommandLine
{
    private const string Usage = """
        usage: datakamp <verb> [options]      (datakamp <verb> --help: the verb's own usage)

          serve       run the Datakamp host (the default verb). Settings as --Section:Key=value,
                      e.g. --Database:ConnectionString=... --Urls=http://127.0.0.1:5080
          check       recompute tables from microdata and check them against a disclosure policy:
                      check --data FILE --spec SPEC [--spec SPEC ...] --policy NAME|FILE
                            [--submitted TABLE ...] [--out VERDICT.json] [--details] [--delimiter ,]
                      exit 0 pass, 1 fail, 2 review, 64 usage, 65 bad input, 66 file or policy not found
          demo-data   write synthetic persons microdata:
                      demo-data --out FILE [--rows N] [--seed S] [--shape districts|neighbourhoods]
          audit       audit verify: recompute the audit trail's hash chain; exit 1 if it was tampered with
          admin       staff verbs (datakamp admin --help lists them): create-account, register-dataset,
                      grant, revoke-grant, set-checkers, set-declaration, show-declaration
          version     print the version
          help        print this text
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        // No verb, or options only: serve. (WebApplicationFactory also starts the host this way.)
        var verb = args.Length == 0 || args[0].StartsWith('-') ? "serve" : args[0];
        var rest = args.Length > 0 && verb == args[0] ? args[1..] : args;
        // check, admin and demo-data print their own usage; the others print this text. Never run the verb:
        // "serve --help" must not start a host.
        if (verb is "serve" or "audit" or "version" && rest.Any(a => a is "--help" or "-h")) return PrintUsage(Console.Out, ExitCodes.Ok);
        try
        {
            return verb switch
            {
                "serve" => await ServeAsync(rest),
                "check" => await Datakamp.Check.CheckCommand.RunAsync(rest),
                "demo-data" => await DemoDataCommand.RunAsync(rest),
                "audit" => await Audit.AuditCommand.RunAsync(rest),
                "admin" => await Admin.AdminCommand.RunAsync(rest),
                "version" => PrintVersion(),
                "help" or "--help" or "-h" => PrintUsage(Console.Out, ExitCodes.Ok),
                _ => Fail($"unknown verb '{verb}'", ExitCodes.Usage, showUsage: true),
            };
        }
        catch (HostAbortedException)
        {
            // Test hosts (WebApplicationFactory) stop the entry point this way on purpose.
            throw;
        }
        catch (Exception e) when (Describe(e) is { } known)
        {
            return Fail(known.Message, known.ExitCode);
        }
        catch (Exception e)
        {
            return ErrorLine.Unexpected(e, ExitCodes.Software);
        }
    }

    private static async Task<int> ServeAsync(string[] args)
    {
        await using var app = DatakampWebHost.Build(args);
        await app.RunAsync();
        return ExitCodes.Ok;
    }

    /// <summary>Maps the failures a person can fix to one line and an exit code.</summary>
    private static (string Message, int ExitCode)? Describe(Exception e) => e switch
    {
        StartupException s => (s.Message, s.ExitCode),
        UsageException u => (u.Message, ExitCodes.Usage),
        Datakamp.Disclosure.DisclosureInputException d => (d.Message, ExitCodes.DataError),
        OptionsValidationException o => ($"configuration error: {string.Join("; ", o.Failures)}", ExitCodes.Config),
        // The configuration binder names the key: "Failed to convert configuration value 'x' at 'A:B' to type ...".
        InvalidOperationException i when i.Message.Contains("configuration value", StringComparison.Ordinal) =>
            ($"configuration error: {ErrorLine.OneLine(i.Message)}", ExitCodes.Config),
        EmbeddedPostgresException p => ($"embedded database: {p.Message}", ExitCodes.Unavailable),
        SchemaException s => ($"database schema: {s.Message}", ExitCodes.Unavailable),
        DockerEngineUnavailableException d => (StartupChecks.DockerHint(d), ExitCodes.Unavailable),
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
            ($"cannot listen: {ErrorLine.OneLine(io.Message).TrimEnd('.')}; choose another address with --Urls=http://127.0.0.1:PORT", ExitCodes.Unavailable),
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerException!),
        _ => null,
    };

    private static int PrintVersion()
    {
        Console.WriteLine($"datakamp {typeof(DatakampCommandLine).Assembly.GetName().Version}");
        return ExitCodes.Ok;
    }

    private static int PrintUsage(TextWriter writer, int exitCode)
    {
        writer.WriteLine(Usage);
        return exitCode;
    }

    internal static int Fail(string message, int exitCode, bool showUsage = false)
    {
        ErrorLine.Write(message, exitCode);
        if (showUsage) PrintUsage(Console.Error, exitCode);
        return exitCode;
    }
}
