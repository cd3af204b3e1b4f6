using Npgsql;

namespace Datakamp.Data;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> a host uses, with the Dapper conventions the repositories rely on.</summary>
public static class DataSourceFactory
{
    static DataSourceFactory() => DapperConventions.Apply();

    public static NpgsqlDataSource Create(string connectionString, TimeSpan connectTimeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("timeout", StringComparison.OrdinalIgnoreCase)) builder.Timeout = (int)Math.Max(1, connectTimeout.TotalSeconds);
        builder.ApplicationName ??= "datakamp";
        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }
}
