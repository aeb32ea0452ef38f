using Npgsql;

namespace CodeMigrations.Benchmarks;

/// <summary>The harness's own, untimed, work on the server: creating databases, checkpoints, verification queries.</summary>
internal sealed class BenchDatabase
{
    private readonly string _maintenance;

    public BenchDatabase(string maintenanceConnectionString)
    {
        // No pooling: a pooled idle connection to a database would block cloning it as a template.
        _maintenance = new NpgsqlConnectionStringBuilder(maintenanceConnectionString) { Pooling = false }.ConnectionString;
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(_maintenance) { Database = database, Pooling = false }.ConnectionString;

    /// <summary>A connection string as the tools get it: the same server, user and database, with the driver's defaults.</summary>
    public string ToolConnectionStringFor(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(_maintenance) { Database = database };
        builder.Remove("Pooling");
        return builder.ConnectionString;
    }

    public async Task CreateDatabaseAsync(string name, string? template, CancellationToken cancellationToken)
    {
        var sql = $"CREATE DATABASE {Quote(name)}" + (template is null ? "" : $" TEMPLATE {Quote(template)}");
        await ExecuteAsync(null, sql, cancellationToken);
    }

    public Task CheckpointAsync(CancellationToken cancellationToken) => ExecuteAsync(null, "CHECKPOINT", cancellationToken);

    public async Task ExecuteAsync(string? database, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database is null ? _maintenance : ConnectionStringFor(database));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> ScalarAsync(string? database, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database is null ? _maintenance : ConnectionStringFor(database));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string> TextAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_maintenance);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(cancellationToken))?.ToString() ?? "";
    }

    /// <summary>The row count of a table, or -1 when the table does not exist.</summary>
    public async Task<long> CountAsync(string database, string table, string? where, CancellationToken cancellationToken)
    {
        try
        {
            return await ScalarAsync(database, $"SELECT count(*) FROM {table}" + (where is null ? "" : " WHERE " + where), cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return -1;
        }
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
