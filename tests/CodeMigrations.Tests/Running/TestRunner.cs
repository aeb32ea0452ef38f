using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Tests.Running;

/// <summary>A runner on a fresh database, for the migrations nested in one container class.</summary>
internal sealed class TestRunner : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestRunner(string connectionString, ServiceProvider services)
    {
        ConnectionString = connectionString;
        _services = services;
        Runner = services.GetRequiredService<IMigrationRunner>();
    }

    public string ConnectionString { get; }

    public IMigrationRunner Runner { get; }

    public IServiceProvider Services => _services;

    public static async Task<TestRunner> CreateAsync(Type container, Action<CodeMigrationsOptions>? configure = null,
        Action<IServiceCollection>? register = null, string? connectionString = null)
    {
        connectionString ??= await TestServer.CreateDatabaseAsync();
        return For(connectionString, container, configure, register);
    }

    /// <summary>Another runner (another process, in effect) on the same database.</summary>
    public static TestRunner For(string connectionString, Type container, Action<CodeMigrationsOptions>? configure = null,
        Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        register?.Invoke(services);
        services.AddCodeMigrations(o =>
        {
            o.ConnectionString = connectionString;
            o.Assemblies.Add(container.Assembly);
            o.TypeFilter = t => t.DeclaringType == container;
            configure?.Invoke(o);
        });
        return new TestRunner(connectionString, services.BuildServiceProvider(validateScopes: true));
    }

    public TestRunner Sibling(Type container, Action<CodeMigrationsOptions>? configure = null) => For(ConnectionString, container, configure);

    public async Task<T> QueryScalarAsync<T>(string sql, object? param = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql, param) ?? default!;
    }

    public async Task<long[]> AppliedVersionsAsync(string table = "public.migration_history") =>
        (await QueryAsync<long>($"SELECT version FROM {table} ORDER BY version")).ToArray();

    public async Task<bool> TableExistsAsync(string name) => await QueryScalarAsync<bool>("SELECT to_regclass(@name) IS NOT NULL", new { name });

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return (await connection.QueryAsync<T>(sql, param)).AsList();
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
