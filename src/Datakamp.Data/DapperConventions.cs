using Dapper;

namespace Datakamp.Data;

/// <summary>
/// Dapper's global settings that our row types rely on, applied by every class that maps rows
/// (from its static constructor), so they hold however that class was reached.
/// </summary>
internal static class DapperConventions
{
    public static void Apply() =>
        // snake_case columns (prev_hash) map onto PascalCase members (PrevHash).
        DefaultTypeMap.MatchNamesWithUnderscores = true;
}
