using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CodeMigrations.Testing.LocalCluster;
using Npgsql;

namespace CodeMigrations.Testing;

/// <summary>
/// A PostgreSQL server for tests and demos, found or started by <see cref="StartAsync"/> in this order:
/// <list type="number">
/// <item>an existing server named by the <c>CODEMIGRATIONS_TEST_CONNECTION</c> environment variable (never stopped; only the
/// databases created through this instance are dropped on dispose);</item>
/// <item>a <c>postgres:15-alpine</c> container through Testcontainers, when a Docker engine answers;</item>
/// <item>a throwaway cluster from the local PostgreSQL binaries, on 127.0.0.1 and a free port, removed on dispose.</item>
/// </list>
/// Tests get a fresh database each from <see cref="CreateDatabaseAsync"/>; <see cref="TestPostgres"/> keeps one server per test run.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The image of the container started through Testcontainers.</summary>
    internal const string DockerImage = "postgres:15-alpine";
    private const string ObjectInUse = "55006";

    private readonly NpgsqlDataSource _maintenance;
    private readonly IAsyncDisposable? _owned;
    private readonly bool _dropCreatedDatabases;
    private readonly ConcurrentDictionary<string, byte> _createdDatabases = new(StringComparer.Ordinal);
    private int _disposed;

    private PostgresServer(string connectionString, string description, IAsyncDisposable? owned, bool dropCreatedDatabases)
    {
        ConnectionString = connectionString;
        Description = description;
        _owned = owned;
        _dropCreatedDatabases = dropCreatedDatabases;
        _maintenance = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The connection string of the maintenance database (<c>postgres</c>, unless the environment named another).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// One human line about the server, e.g. <c>local PostgreSQL 15 cluster on 127.0.0.1:41234 (/tmp/codemigrations-pg-…)</c>.
    /// Never contains a password.
    /// </summary>
    public string Description { get; }

    /// <summary>
    /// Finds or starts a server: the environment variable, else Docker, else the local binaries (see <see cref="PostgresServer"/>).
    /// </summary>
    /// <param name="options">Where to look and how to start; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The server, to dispose when done.</returns>
    /// <exception cref="PostgresUnavailableException">
    /// No server could be had; the message says what was tried and how to get one.
    /// </exception>
    public static async Task<PostgresServer> StartAsync(PostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgresServerOptions();
        var tried = new List<string>();

        var variable = options.ConnectionEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return await UseExistingServerAsync(variable, fromEnvironment, cancellationToken);
            }

            tried.Add($"an existing server: the environment variable {variable} is not set");
        }
        else
        {
            tried.Add("an existing server: no connection environment variable is configured");
        }

        Exception? dockerFailure = null;
        if (options.UseDocker)
        {
            var (available, detail) = await DockerProbe.ProbeAsync(cancellationToken);
            if (available)
            {
                try
                {
                    return await StartContainerAsync(options, detail, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    dockerFailure = e;
                    tried.Add($"Docker: an engine answered at {detail}, but the {DockerImage} container failed: {FirstLine(e.Message)}");
                }
            }
            else
            {
                tried.Add($"Docker: {detail}");
            }
        }
        else
        {
            tried.Add("Docker: disabled by the options (UseDocker = false)");
        }

        var binaries = LocalPostgresCluster.FindBinaries(options.BinariesDirectory);
        if (binaries is null)
        {
            tried.Add("local PostgreSQL: " + PostgresBinaries.DescribeMissing(options.BinariesDirectory));
            throw new PostgresUnavailableException(ServerInstructions.Unavailable(variable, tried), dockerFailure);
        }

        try
        {
            var cluster = await LocalPostgresCluster.StartTemporaryAsync(
                new LocalClusterOptions { Fsync = options.Fsync, BinariesDirectory = binaries }, cancellationToken);
            var description = string.Create(CultureInfo.InvariantCulture,
                $"local PostgreSQL {cluster.Version} cluster on 127.0.0.1:{cluster.Port} ({cluster.TemporaryRoot ?? cluster.DataDirectory})");
            return new PostgresServer(cluster.ConnectionString, description, cluster, dropCreatedDatabases: false);
        }
        catch (Exception e) when (e is InvalidOperationException or PostgresUnavailableException or IOException
            or UnauthorizedAccessException or TimeoutException)
        {
            tried.Add($"local PostgreSQL: the binaries in {binaries} were found, but a throwaway cluster did not start: {e.Message}");
            throw new PostgresUnavailableException(ServerInstructions.Unavailable(variable, tried), e);
        }
    }

    /// <summary>The connection string of another database on this server, with the same host, port and credentials.</summary>
    /// <param name="database">The database name, as created (case-sensitive).</param>
    /// <returns>The connection string.</returns>
    public string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    /// <param name="name">The database name; a random <c>cm_test_…</c> name when null.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The connection string of the new database.</returns>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        name ??= "cm_test_" + Guid.NewGuid().ToString("N");
        var sql = "CREATE DATABASE " + QuoteIdentifier(name);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = _maintenance.CreateCommand(sql);
                await command.ExecuteNonQueryAsync(cancellationToken);
                break;
            }
            catch (PostgresException e) when (e.SqlState == ObjectInUse && attempt < 10)
            {
                // "source database template1 is being accessed by other users": someone is briefly connected to it.
                await Task.Delay(50 * attempt, cancellationToken);
            }
        }

        if (_dropCreatedDatabases)
        {
            _createdDatabases[name] = 0;
        }

        return ConnectionStringFor(name);
    }

    /// <summary>Drops a database, closing its connections first (<c>DROP DATABASE … WITH (FORCE)</c>); no error when it does not exist.</summary>
    /// <param name="name">The database name.</param>
    /// <param name="cancellationToken">Cancels the drop.</param>
    /// <returns>A task that completes once the database is gone.</returns>
    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await DropAsync(name, cancellationToken);
    }

    /// <summary>
    /// Releases the server: stops and removes a container or throwaway cluster; on an existing server, drops the databases
    /// created through this instance and leaves the rest alone.
    /// </summary>
    /// <returns>A task that completes once everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            foreach (var name in _createdDatabases.Keys)
            {
                try
                {
                    await DropAsync(name, CancellationToken.None);
                }
                catch (NpgsqlException)
                {
                    // Best effort: the server may be gone; the other databases still deserve their drop.
                }
            }
        }
        finally
        {
            await _maintenance.DisposeAsync();
            if (_owned is not null)
            {
                await _owned.DisposeAsync();
            }
        }
    }

    private async Task DropAsync(string name, CancellationToken cancellationToken)
    {
        await using (var command = _maintenance.CreateCommand($"DROP DATABASE IF EXISTS {QuoteIdentifier(name)} WITH (FORCE)"))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _createdDatabases.TryRemove(name, out _);
        // The pooled connections of this process to the dropped database are dead now.
        using var connection = new NpgsqlConnection(ConnectionStringFor(name));
        NpgsqlConnection.ClearPool(connection);
    }

    private static async Task<PostgresServer> UseExistingServerAsync(string variable, string connectionString,
        CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new PostgresUnavailableException($"The environment variable {variable} does not hold a valid connection string: {e.Message}"
                + Environment.NewLine + ServerInstructions.HowToGetOne(variable), e);
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            builder.Database = "postgres";
        }

        var redacted = Redact(builder);
        string version;
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            version = connection.PostgreSqlVersion.ToString();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new PostgresUnavailableException($"The environment variable {variable} names a server ({redacted}) "
                + $"that could not be reached: {e.Message}" + Environment.NewLine + ServerInstructions.HowToGetOne(variable), e);
        }

        return new PostgresServer(builder.ConnectionString, $"existing PostgreSQL {version} server from {variable} ({redacted})",
            owned: null, dropCreatedDatabases: true);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // Loads the Testcontainers assemblies only when Docker is really used.
    private static async Task<PostgresServer> StartContainerAsync(PostgresServerOptions options, string dockerEndpoint,
        CancellationToken cancellationToken)
    {
        var builder = new Testcontainers.PostgreSql.PostgreSqlBuilder(DockerImage)
            .WithDatabase("postgres")
            .WithUsername("postgres")
            .WithPassword(Guid.NewGuid().ToString("N"))
            // After the module's own "-c fsync=off -c full_page_writes=off -c synchronous_commit=off": the last setting wins.
            .WithCommand("-c", "max_connections=500");
        if (options.Fsync)
        {
            builder = builder.WithCommand("-c", "fsync=on", "-c", "full_page_writes=on", "-c", "synchronous_commit=on");
        }

        var container = builder.Build();
        try
        {
            await container.StartAsync(cancellationToken);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }

        var connectionString = container.GetConnectionString();
        var port = container.GetMappedPublicPort(Testcontainers.PostgreSql.PostgreSqlBuilder.PostgreSqlPort);
        var description = string.Create(CultureInfo.InvariantCulture,
            $"Docker container {DockerImage} on {container.Hostname}:{port} (Testcontainers, engine at {dockerEndpoint})");
        return new PostgresServer(connectionString, description, container, dropCreatedDatabases: false);
    }

    private static string Redact(NpgsqlConnectionStringBuilder builder) =>
        string.Create(CultureInfo.InvariantCulture, $"Host={builder.Host};Port={builder.Port};Username={builder.Username};Database={builder.Database}");

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
