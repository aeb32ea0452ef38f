using Dapper;
using Npgsql;

namespace CodeMigrations.TestInfrastructure;

/// <summary>A fresh database of the test server, and what the tests ask of it.</summary>
public sealed class TestDatabase
{
    public TestDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public async Task<long[]> AppliedVersionsAsync() =>
        await TableExistsAsync("public.migration_history")
            ? (await QueryAsync<long>("SELECT version FROM migration_history ORDER BY version")).ToArray()
            : [];

    public async Task<bool> TableExistsAsync(string name) => await ScalarAsync<bool>("SELECT to_regclass(@name) IS NOT NULL", new { name });

    public async Task<bool> ColumnExistsAsync(string table, string column) => await ScalarAsync<bool>(
        "SELECT EXISTS (SELECT FROM information_schema.columns WHERE table_name = @table AND column_name = @column)", new { table, column });

    /// <summary>Advisory locks held in this database by anyone: the migration lock, if a run holds it.</summary>
    public async Task<long> AdvisoryLocksAsync() => await ScalarAsync<long>(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

    public async Task<T> ScalarAsync<T>(string sql, object? param = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, param) ?? default!;
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.QueryAsync<T>(sql, param)).AsList();
    }

    public async Task ExecuteAsync(string sql, object? param = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(sql, param);
    }
}
