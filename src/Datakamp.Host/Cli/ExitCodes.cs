namespace Datakamp.Host.Cli;

/// <summary>Process exit codes, after BSD sysexits.h so scripts can tell bad input from a missing service.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command line was wrong.</summary>
    public const int Usage = 64;
    /// <summary>An input file was wrong.</summary>
    public const int DataError = 65;
    /// <summary>A service we need (PostgreSQL, Docker engine) is not there.</summary>
    public const int Unavailable = 69;
    /// <summary>A bug: something we did not expect.</summary>
    public const int Software = 70;
    /// <summary>A configuration value is wrong.</summary>
    public const int Config = 78;
}
