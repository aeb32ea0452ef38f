using Npgsql;

namespace CodeMigrations.Hosting.Tests;

/// <summary>Small reads and writes the tests make on their database, beside the code under test.</summary>
public static class Sql
{
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static Task<bool> HistoryExistsAsync(string connectionString) =>
        ScalarAsync<bool>(connectionString, "SELECT to_regclass('public.migration_history') IS NOT NULL");

    public static async Task<List<long>> AppliedVersionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM public.migration_history ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<long>();
        while (await reader.ReadAsync())
            versions.Add(reader.GetInt64(0));
        return versions;
    }
}
