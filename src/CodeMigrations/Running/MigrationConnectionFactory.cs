using Npgsql;

namespace CodeMigrations.Running;

/// <summary>
/// Opens the run's connections from one data source: the one given in <see cref="CodeMigrationsOptions.DataSource"/>, used
/// as it is and left to its owner, or else one built once from <see cref="CodeMigrationsOptions.ConnectionString"/> (with
/// <see cref="CodeMigrationsOptions.ApplicationName"/> unless the string names one), owned and disposed here. Every
/// message names the database without the password.
/// </summary>
public sealed class MigrationConnectionFactory : IAsyncDisposable, IDisposable
{
    private readonly string? _configurationError;
    private readonly Lazy<NpgsqlDataSource>? _dataSource;
    private readonly Lazy<string> _target;
    private readonly bool _ownsDataSource;

    /// <summary>Connections to <see cref="CodeMigrationsOptions.DataSource"/> when set, else to <see cref="CodeMigrationsOptions.ConnectionString"/>.</summary>
    /// <param name="options">The configured database.</param>
    public MigrationConnectionFactory(CodeMigrationsOptions options)
    {
        if (options.DataSource is { } given)
        {
            _dataSource = new Lazy<NpgsqlDataSource>(given);
            // Only messages need it: parsed when one is written, not on every run.
            _target = new Lazy<string>(() => Describe(given.ConnectionString));
            return;
        }

        // Configuration errors surface when a command first needs the database, never while resolving services.
        _target = new Lazy<string>("no database");
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            _configurationError = "No database is configured: set CodeMigrationsOptions.ConnectionString (or DataSource).";
            return;
        }

        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            // The message names the bad keyword, never the value, so no password leaks through it.
            _configurationError = $"The connection string is not valid: {e.Message}";
            return;
        }

        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            builder.ConnectionStringBuilder.ApplicationName = options.ApplicationName;
        _target = new Lazy<string>(Describe(builder.ConnectionStringBuilder));
        _ownsDataSource = true;
        _dataSource = new Lazy<NpgsqlDataSource>(builder.Build);
    }

    /// <summary>Where we connect, without the password: "Host=db;Port=5432;Database=app;Username=deploy".</summary>
    public string Target => _target.Value;

    /// <exception cref="MigrationDatabaseException">No database is configured, or the server cannot be reached or refuses the connection.</exception>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_configurationError is not null || _dataSource is null)
            throw new MigrationDatabaseException(_configurationError ?? "No database is configured.");
        var connection = _dataSource.Value.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new MigrationDatabaseException(
                $"Could not connect to PostgreSQL ({Target}): {Execution.MigrationExecutor.DescribeError(e)}" +
                (e.InnerException is { } inner && e is not PostgresException ? $" ({inner.Message})" : "") +
                ". Check that the server is running and reachable, and the connection string.", e);
        }
    }

    /// <summary>Disposes the data source it built itself (never one it was given).</summary>
    /// <returns>A task that completes when the data source is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource && _dataSource is { IsValueCreated: true })
            await _dataSource.Value.DisposeAsync();
    }

    /// <summary>Disposes the data source it built itself (never one it was given).</summary>
    public void Dispose()
    {
        if (_ownsDataSource && _dataSource is { IsValueCreated: true })
            _dataSource.Value.Dispose();
    }

    /// <summary>Names the server and database of <paramref name="connectionString"/> for messages: never its password.</summary>
    /// <param name="connectionString">A connection string.</param>
    /// <returns>Host, port, database and user name, or "an invalid connection string".</returns>
    public static string Describe(string? connectionString)
    {
        try
        {
            return Describe(new NpgsqlConnectionStringBuilder(connectionString));
        }
        catch (ArgumentException)
        {
            return "an invalid connection string";
        }
    }

    /// <summary>Names the server and database of <paramref name="builder"/> for messages: never its password.</summary>
    /// <param name="builder">A parsed connection string.</param>
    /// <returns>Host, port, database and user name.</returns>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"Host={builder.Host};Port={builder.Port};Database={builder.Database ?? builder.Username};Username={builder.Username}";
}
