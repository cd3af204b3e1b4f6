using Microsoft.Extensions.Configuration;

namespace Datakamp.Check;

/// <summary>
/// The one setting <c>datakamp check</c> reads, <c>Storage:PoliciesDirectory</c>, from the host's sources with
/// the host's precedence: <c>appsettings.json</c> beside the executable, then <c>DATAKAMP_</c> environment
/// variables (<c>DATAKAMP_Storage__PoliciesDirectory</c>). Read only when a policy is given by name: building a
/// configuration is not free, and a path needs none.
/// </summary>
internal static class CheckSettings
{
    public static string? PoliciesDirectory() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables("DATAKAMP_")
        .Build()["Storage:PoliciesDirectory"];
}
